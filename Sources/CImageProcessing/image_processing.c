#include "image_processing.h"

#include <string.h>
#include <vips/vips.h>

int inyeon_image_start(void) {
    if (VIPS_INIT("inyeon") != 0) return -1;
    // Photos are small: keep libvips' own cache and thread pool modest.
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    return 0;
}

int inyeon_image_probe(const void *data, size_t length, int *width, int *height, char *loader, size_t loader_capacity) {
    const char *name = vips_foreign_find_load_buffer(data, length);
    if (name == NULL) return -1;
    VipsImage *image = vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (image == NULL) return -1;
    *width = vips_image_get_width(image);
    *height = vips_image_get_height(image);
    g_strlcpy(loader, name, loader_capacity);
    g_object_unref(image);
    return 0;
}

int inyeon_image_render_jpeg(const void *data, size_t length, int max_side, int quality, void **output, size_t *output_length) {
    VipsImage *thumbnail = NULL;
    // vips_thumbnail_buffer applies the EXIF orientation and shrinks while loading.
    if (vips_thumbnail_buffer((void *)data, length, &thumbnail, max_side,
                              "height", max_side, "size", VIPS_SIZE_DOWN, NULL) != 0) {
        return -1;
    }
    VipsImage *opaque = thumbnail;
    if (vips_image_hasalpha(thumbnail)) {
        VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
        int failed = vips_flatten(thumbnail, &opaque, "background", white, NULL);
        vips_area_unref(VIPS_AREA(white));
        g_object_unref(thumbnail);
        if (failed != 0) return -1;
    }
    VipsImage *srgb = NULL;
    if (vips_colourspace(opaque, &srgb, VIPS_INTERPRETATION_sRGB, NULL) != 0) {
        g_object_unref(opaque);
        return -1;
    }
    g_object_unref(opaque);
    int failed = vips_jpegsave_buffer(srgb, output, output_length, "Q", quality, "strip", TRUE,
                                      "optimize_coding", TRUE, "interlace", FALSE, NULL);
    g_object_unref(srgb);
    return failed;
}

void inyeon_image_free(void *buffer) {
    g_free(buffer);
}

void inyeon_image_last_error(char *buffer, size_t capacity) {
    g_strlcpy(buffer, vips_error_buffer(), capacity);
    vips_error_clear();
}
