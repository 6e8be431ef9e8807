/*
 * render_png.h - a PNG encoder for cairo image surfaces, faster than
 * cairo's own for maps.
 *
 * cairo writes PNG through libpng at zlib's default level, which on a
 * 3000 x 2000 map costs more than drawing it.  Maps are mostly flat
 * colour, so the "Sub" filter turns each run of one colour into zeros
 * and zlib's fastest level compresses them nearly as well as its
 * default, several times faster.  The bytes depend only on the pixels.
 */
#ifndef RENDER_PNG_H
#define RENDER_PNG_H

#include <cairo.h>
#include <stdio.h>

/*
 * Write an RGB24 or ARGB32 image surface (flushed) to fp as an 8-bit
 * RGB PNG (alpha is dropped: draw on an opaque background).  Returns 0,
 * or an errno value (EIO for a zlib failure, EINVAL for another surface
 * type or format).
 */
int render_png_write(cairo_surface_t *surface, FILE *fp);

#endif
