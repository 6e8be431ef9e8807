/*
 * render_png.c - PNG: signature, IHDR, IDAT chunks of the Sub-filtered
 * rows deflated at zlib's fastest level, IEND.
 */
#include "render/render_png.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/core_mem.h"

#define IDAT_MAX (256 * 1024)

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One chunk: length, type, data, CRC of type and data. */
static int chunk(FILE *fp, const char *type, const unsigned char *data,
		 size_t n)
{
	unsigned char head[8], tail[4];
	uLong crc = crc32(0L, Z_NULL, 0);

	be32(head, (uint32_t)n);
	memcpy(head + 4, type, 4);
	crc = crc32(crc, head + 4, 4);
	if (n)
		crc = crc32(crc, data, (uInt)n);
	be32(tail, (uint32_t)crc);
	if (fwrite(head, 1, 8, fp) != 8 || (n && fwrite(data, 1, n, fp) != n) ||
	    fwrite(tail, 1, 4, fp) != 4)
		return errno ? errno : EIO;
	return 0;
}

int render_png_write(cairo_surface_t *surface, FILE *fp)
{
	static const unsigned char sig[8] = {0x89, 'P',	 'N',  'G',
					     '\r', '\n', 0x1a, '\n'};
	unsigned char ihdr[13], *row = NULL, *out = NULL;
	const unsigned char *data;
	cairo_format_t fmt;
	int w, h, stride, y, x, zr, rc = 0;
	z_stream z;

	if (cairo_surface_get_type(surface) != CAIRO_SURFACE_TYPE_IMAGE)
		return EINVAL;
	fmt = cairo_image_surface_get_format(surface);
	if (fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32)
		return EINVAL;
	w = cairo_image_surface_get_width(surface);
	h = cairo_image_surface_get_height(surface);
	stride = cairo_image_surface_get_stride(surface);
	data = cairo_image_surface_get_data(surface);
	if (w <= 0 || h <= 0 || !data)
		return EINVAL;

	be32(ihdr, (uint32_t)w);
	be32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 2;  /* truecolour */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering */
	ihdr[12] = 0; /* no interlace */
	if (fwrite(sig, 1, 8, fp) != 8)
		return errno ? errno : EIO;
	if ((rc = chunk(fp, "IHDR", ihdr, sizeof(ihdr))))
		return rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit(&z, Z_BEST_SPEED) != Z_OK)
		return EIO;
	row = xmalloc(1 + (size_t)w * 3);
	out = xmalloc(IDAT_MAX);
	z.next_out = out;
	z.avail_out = IDAT_MAX;
	for (y = 0; y <= h && rc == 0; y++) {
		int flush = y == h ? Z_FINISH : Z_NO_FLUSH;

		if (y < h) {
			const uint32_t *px =
			    (const uint32_t *)(const void *)(data +
							     (size_t)y *
								 (size_t)
								     stride);
			unsigned char pr = 0, pg = 0, pb = 0;
			unsigned char *q = row + 1;

			row[0] =
			    1; /* Sub: each byte less the one to its left */
			for (x = 0; x < w; x++) {
				unsigned char r = (unsigned char)(px[x] >> 16);
				unsigned char g = (unsigned char)(px[x] >> 8);
				unsigned char b = (unsigned char)px[x];

				*q++ = (unsigned char)(r - pr);
				*q++ = (unsigned char)(g - pg);
				*q++ = (unsigned char)(b - pb);
				pr = r;
				pg = g;
				pb = b;
			}
			z.next_in = row;
			z.avail_in = (uInt)(1 + (size_t)w * 3);
		}
		do {
			zr = deflate(&z, flush);
			if (zr == Z_STREAM_ERROR) {
				rc = EIO;
				break;
			}
			if (z.avail_out == 0 ||
			    (flush == Z_FINISH && zr == Z_STREAM_END)) {
				size_t n = IDAT_MAX - z.avail_out;
				if (n && (rc = chunk(fp, "IDAT", out, n)))
					break;
				z.next_out = out;
				z.avail_out = IDAT_MAX;
			}
		} while (z.avail_in > 0 ||
			 (flush == Z_FINISH && zr != Z_STREAM_END));
	}
	deflateEnd(&z);
	free(row);
	free(out);
	if (rc == 0)
		rc = chunk(fp, "IEND", NULL, 0);
	return rc;
}
