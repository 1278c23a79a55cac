// Which ties a big scope draws at a given zoom (the rule; views/lines.ts
// applies it in its vertex shader, where it costs nothing per frame).
//
// Without a GPU (Chromium's software WebGL) a tie's cost is the pixels it
// covers. At 20,000 nodes and 100,000 ties the communities-first layout puts
// about two thirds of the ties between communities, crossing much of the
// screen: drawn all at once at the overview they cover ~20 million pixels,
// 0.3 to 0.9 s a frame (short ties alone: ~10 to 40 ms), and zoomed in twice
// or four times, more (0.6 to 2 s). So:
// - a short tie (at most SHORT_TIE of the map's extent: within a community
//   or between neighbours) is always drawn;
// - a long tie is drawn once the camera is zoomed in enough for its length
//   (maxTieLength) and one of its ends is on screen: zooming in on a
//   community shows where its ties go, not the ties merely crossing it.
//   The longest drawn grows with the square root of the zoom (a linear
//   growth costs ~0.2 s a frame zoomed in four times), and from ALL_TIES_ZOOM
//   on, every tie with an end on screen is;
// - a tie the map emphasises (the selection's, a path, a highlighted pair)
// is always drawn (`keep`).

/** Ties up to this share of the map's extent (the larger side of the graph's
 * bounding box) are short: drawn at every zoom. */
export const SHORT_TIE = 0.1;

/** From this camera ratio down (zoomed in 20 times), no tie is too long. */
export const ALL_TIES_RATIO = 0.05;

/** The longest tie drawn at camera ratio `ratio` (1: the whole map fits;
 * 0.25: zoomed in four times), as a share of the map's extent: SHORT_TIE at
 * the overview (and zoomed out), twice that zoomed in four times, ~0.45
 * zoomed in almost 20 times, then all (Infinity). */
export function maxTieLength(ratio: number): number {
  if (ratio <= ALL_TIES_RATIO) return Infinity;
  return SHORT_TIE / Math.sqrt(Math.min(ratio, 1));
}

/** Whether a tie of `length` (a share of the map's extent) is drawn at
 * camera ratio `ratio`; `endOnScreen`: one of its ends is in the viewport;
 * `keep`: the map emphasises it. */
export function tieDrawn(length: number, ratio: number, endOnScreen: boolean, keep = false): boolean {
  if (keep || length <= SHORT_TIE) return true;
  return endOnScreen && length <= maxTieLength(ratio);
}
