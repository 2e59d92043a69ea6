#ifndef INYEON_IMAGE_PROCESSING_H
#define INYEON_IMAGE_PROCESSING_H

#include <stddef.h>

/// Starts libvips once per process; 0 on success. Also keeps libvips' operation cache empty, runs
/// each image on one thread, and drops libvips' warnings (one damaged file can warn once per pixel
/// row); only their count is kept (inyeon_image_warning_count).
int inyeon_image_start(void);

/// How many libvips warnings were dropped since the start.
unsigned long inyeon_image_warning_count(void);

/// What the header of an encoded image says, read without decoding a single pixel.
typedef struct {
    int width;
    int height;
    int bands;
    /// libvips' VipsBandFormat: 0 is 8 bits per sample (VIPS_FORMAT_UCHAR); anything else is wider.
    int band_format;
    /// The loader class libvips picked ("VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", ...).
    char loader[64];
} inyeon_image_header;

/// Reads only the header of an encoded image. 0 on success.
int inyeon_image_probe(const void *data, size_t length, inyeon_image_header *header);

/// Decodes once, refusing truncated or damaged data (libvips' fail_on=truncated), turns upright by
/// the EXIF orientation, flattens any transparency onto white, converts to sRGB, and encodes one
/// baseline JPEG per entry of `sides` (each fitting within side x side, never enlarged), every piece
/// of metadata (EXIF, XMP, IPTC, ICC) removed. `sides` are in decreasing order. Each output is freed
/// with inyeon_image_free (also after a failure, the ones that were set). 0 on success.
int inyeon_image_render_jpegs(const void *data, size_t length, const int *sides, int count, int quality,
                              void **outputs, size_t *output_lengths);

void inyeon_image_free(void *buffer);

/// The last error libvips reported on this thread, copied into `buffer`, then cleared.
void inyeon_image_last_error(char *buffer, size_t capacity);

#endif
