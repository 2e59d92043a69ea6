#include "image_processing.h"

#include <string.h>
#include <vips/vips.h>

static volatile gulong dropped_warnings = 0;

/// libvips (and the decoders it wraps) warn about damaged files once per pixel row; a log line each
/// would let one upload write megabytes of log. The error that matters is returned to the caller.
static void drop_log_message(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)message; (void)data;
    if (level & G_LOG_LEVEL_WARNING) g_atomic_pointer_add(&dropped_warnings, 1);
}

int inyeon_image_start(void) {
    if (VIPS_INIT("inyeon") != 0) return -1;
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG | G_LOG_FLAG_RECURSION,
                      drop_log_message, NULL);
    // Nothing is kept between photos: no cached operations, files or pixels.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_cache_set_max_files(0);
    // One thread per image: the service bounds how many images are decoded at once, not libvips.
    vips_concurrency_set(1);
    return 0;
}

unsigned long inyeon_image_warning_count(void) {
    return (unsigned long)g_atomic_pointer_get(&dropped_warnings);
}

int inyeon_image_probe(const void *data, size_t length, inyeon_image_header *header) {
    const char *name = vips_foreign_find_load_buffer(data, length);
    if (name == NULL) return -1;
    // Lazy: only the header is read here.
    VipsImage *image = vips_image_new_from_buffer(data, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (image == NULL) return -1;
    header->width = vips_image_get_width(image);
    header->height = vips_image_get_height(image);
    header->bands = vips_image_get_bands(image);
    header->band_format = (int)vips_image_get_format(image);
    g_strlcpy(header->loader, name, sizeof(header->loader));
    g_object_unref(image);
    return 0;
}

static int encode(VipsImage *image, int quality, void **output, size_t *output_length) {
    return vips_jpegsave_buffer(image, output, output_length, "Q", quality, "strip", TRUE,
                                "optimize_coding", TRUE, "interlace", FALSE, NULL);
}

int inyeon_image_render_jpegs(const void *data, size_t length, const int *sides, int count, int quality,
                              void **outputs, size_t *output_lengths) {
    if (count < 1) return -1;
    for (int i = 0; i < count; i++) { outputs[i] = NULL; output_lengths[i] = 0; }
    VipsImage *thumbnail = NULL;
    // vips_thumbnail_buffer applies the EXIF orientation and shrinks while loading; a truncated or
    // damaged file is an error, not a picture with grey rows.
    if (vips_thumbnail_buffer((void *)data, length, &thumbnail, sides[0], "height", sides[0], "size", VIPS_SIZE_DOWN,
                              "option_string", "fail_on=truncated", NULL) != 0) {
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
    int failed = vips_colourspace(opaque, &srgb, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(opaque);
    if (failed != 0) return -1;
    // Decode once, into memory (at most sides[0]² pixels); the smaller sizes come from this copy.
    VipsImage *largest = vips_image_copy_memory(srgb);
    g_object_unref(srgb);
    if (largest == NULL) return -1;
    int longest = MAX(vips_image_get_width(largest), vips_image_get_height(largest));
    failed = 0;
    for (int i = 0; i < count && failed == 0; i++) {
        if (sides[i] >= longest) {
            failed = encode(largest, quality, &outputs[i], &output_lengths[i]);
            continue;
        }
        VipsImage *smaller = NULL;
        failed = vips_resize(largest, &smaller, (double)sides[i] / (double)longest, NULL);
        if (failed == 0) {
            failed = encode(smaller, quality, &outputs[i], &output_lengths[i]);
            g_object_unref(smaller);
        }
    }
    g_object_unref(largest);
    return failed;
}

void inyeon_image_free(void *buffer) {
    g_free(buffer);
}

void inyeon_image_last_error(char *buffer, size_t capacity) {
    g_strlcpy(buffer, vips_error_buffer(), capacity);
    vips_error_clear();
}
