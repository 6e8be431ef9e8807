/*
 * geo_blob.h - SpatiaLite geometry blobs, read and written in C.
 *
 * A SpatiaLite blob starts 0x00, a byte-order byte (0x01 little endian,
 * 0x00 big endian), a 4-byte SRID and the MBR as four doubles (minx,
 * miny, maxx, maxy; bytes 6..37), then 0x7C and the geometry class.  A
 * POINT XY is 60 bytes: class 1 at 39, X at 43, Y at 51, 0xFE at 59.
 * Every number is in the blob's own byte order.  Reading at these fixed
 * offsets spares a million-point layer a gaia geometry per row; anything
 * else is read through gaiaFromSpatiaLiteBlobWkb.
 */
#ifndef GEO_BLOB_H
#define GEO_BLOB_H

#include <stddef.h>
#include <stdint.h>

#define GEO_BLOB_POINT_SIZE 60

/* Write SpatiaLite's blob for POINT(x y) in srid into b, in the host's
 * byte order (which the blob then declares). */
void geo_blob_point_put(unsigned char b[GEO_BLOB_POINT_SIZE], double x,
			double y, int32_t srid);

/* X and Y of a 60-byte POINT XY blob (either byte order): 1 with *x, *y
 * set, 0 when b is not one (NULL, another size, class or layout). */
int geo_blob_point_fast(const unsigned char *b, int n, double *x, double *y);

/*
 * X and Y of a SpatiaLite blob holding one point: 1 with *x, *y set; 0
 * for NULL or an empty geometry; -1 when the blob is not a point (or not
 * a SpatiaLite geometry).
 */
int geo_blob_point_get(const unsigned char *b, int n, double *x, double *y);

/* The MBR of a SpatiaLite geometry blob into mbr (minx, miny, maxx,
 * maxy): 1, or 0 when b is not such a blob. */
int geo_blob_mbr(const unsigned char *b, int n, double mbr[4]);

/*
 * The vertices of a SpatiaLite blob holding one LINESTRING: returns the
 * number of vertices, having written the first min(count, cap) of them
 * to xy as x, y pairs (xy may be NULL when cap is 0: ask the count
 * first, or call again with room when the count exceeds cap); 0 for
 * NULL or an empty geometry; -1 when the blob is not one linestring.
 * A plain XY LINESTRING (class 2, what the workspace stores) is read at
 * fixed offsets (points from byte 47, 16 bytes each, count at 43, 0xFE
 * last); anything else (Z, M, compressed, a MULTILINESTRING of one
 * line) through gaiaFromSpatiaLiteBlobWkb, extra ordinates dropped.
 */
long geo_blob_line_get(const unsigned char *b, int n, double *xy, size_t cap);

#endif
