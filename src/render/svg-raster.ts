import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

export interface RasterOptions {
  /** Output width in pixels; default the SVG's own width. */
  readonly width?: number;
  /** Font folders beside the system's (CONTINUO_FONT_DIR), for machines without system fonts. */
  readonly fontDirs?: readonly string[];
}

export interface PngImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly contentType: 'image/png';
}

/**
 * SVG → PNG with resvg (native, prebuilt in npm; renders on the libuv pool, off the event loop). Text
 * needs a font: system fonts are loaded (DejaVu where present); a slim container without any draws the
 * shapes but no labels unless a font folder is given.
 */
export async function svgToPng(svg: string, options: RasterOptions = {}): Promise<PngImage> {
  const fontDirs = [...(options.fontDirs ?? [])];
  const render: ResvgRenderOptions = {
    background: '#ffffff',
    fitTo: options.width ? { mode: 'width', value: options.width } : { mode: 'original' },
    font: { loadSystemFonts: true, fontDirs, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  };
  const image = await renderAsync(svg, render);
  return { data: new Uint8Array(image.asPng()), width: image.width, height: image.height, contentType: 'image/png' };
}
