#ifndef INYEON_IMAGE_PROCESSING_H
#define INYEON_IMAGE_PROCESSING_H

#include <stddef.h>

/// Starts libvips once per process; 0 on success.
int inyeon_image_start(void);

/// Reads only the header of an encoded image: its size and the loader class libvips picked
/// ("VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", ...). 0 on success.
int inyeon_image_probe(const void *data, size_t length, int *width, int *height, char *loader, size_t loader_capacity);

/// Decodes, turns upright by the EXIF orientation, shrinks to fit within max_side x max_side
/// (never enlarges), flattens any transparency onto white, and encodes a baseline JPEG with
/// every piece of metadata (EXIF, XMP, IPTC, ICC) removed. The result is freed with inyeon_image_free.
int inyeon_image_render_jpeg(const void *data, size_t length, int max_side, int quality, void **output, size_t *output_length);

void inyeon_image_free(void *buffer);

/// The last error libvips reported on this thread, copied into `buffer`, then cleared.
void inyeon_image_last_error(char *buffer, size_t capacity);

#endif
