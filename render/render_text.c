/*
 * render_text.c - the font, layouts and colours.  See render_text.h.
 */
#include "render/render_text.h"

void render_fonts_init(struct render_fonts *f, int raster)
{
	f->fontmap = pango_cairo_font_map_new();
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(f->fontmap),
					    72);
	f->fopts = cairo_font_options_create();
	cairo_font_options_set_hint_style(f->fopts, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(
	    f->fopts, raster ? CAIRO_HINT_METRICS_ON : CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(f->fopts, CAIRO_ANTIALIAS_GRAY);
}

void render_fonts_release(struct render_fonts *f)
{
	if (f->fontmap)
		g_object_unref(f->fontmap);
	if (f->fopts)
		cairo_font_options_destroy(f->fopts);
	f->fontmap = NULL;
	f->fopts = NULL;
}

PangoLayout *render_text(PangoContext *pc, const char *text, double size,
			 int bold, double width)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd =
	    pango_font_description_from_string(RENDER_FONT_FAMILY);

	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

void render_text_size(PangoLayout *l, double *w, double *h)
{
	int iw, ih;

	pango_layout_get_size(l, &iw, &ih);
	if (w)
		*w = (double)iw / PANGO_SCALE;
	if (h)
		*h = (double)ih / PANGO_SCALE;
}

void render_set_rgb(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0,
			     ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

PangoContext *render_text_context(const struct render_fonts *f, int raster,
				  cairo_t *cr)
{
	PangoContext *pc = pango_font_map_create_context(f->fontmap);

	pango_cairo_context_set_font_options(pc, f->fopts);
	pango_context_set_round_glyph_positions(pc, raster);
	pango_cairo_update_context(cr, pc);
	return pc;
}

void render_show_haloed(cairo_t *cr, PangoLayout *lay, double x, double y,
			uint32_t halo, double halo_w, uint32_t ink)
{
	cairo_new_path(cr);
	cairo_move_to(cr, x, y);
	pango_cairo_layout_path(cr, lay);
	render_set_rgb(cr, halo);
	cairo_set_line_width(cr, halo_w);
	cairo_stroke(cr);
	cairo_move_to(cr, x, y);
	render_set_rgb(cr, ink);
	pango_cairo_show_layout(cr, lay);
	cairo_new_path(cr);
}
