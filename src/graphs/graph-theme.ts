/** Colours of one theme. Series colours are told apart by people with colour-vision deficiencies too. */
export interface GraphTheme {
  background: string;
  text: string;
  muted: string;
  gridLine: string;
  /** One colour per shown series, in drawing order (the victim gets the first). */
  palette: string[];
  alert: string;
  onset: string;
  threshold: string;
}

export type GraphThemeName = 'light' | 'dark';

/**
 * Both themes paint their own background, so a graph reads the same in a light or a dark chat
 * client. Marker colours are not in the palette: a line is never mistaken for a marker.
 */
export const GRAPH_THEMES: Record<GraphThemeName, GraphTheme> = {
  // Okabe–Ito without its yellow and black (unreadable on white, taken by the text), plus Tol's wine and teal.
  light: {
    background: '#ffffff',
    text: '#1d1c1d',
    muted: '#616061',
    gridLine: '#e6e6e6',
    palette: ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#882255', '#44aa99'],
    alert: '#1d1c1d',
    onset: '#6b6b6b',
    threshold: '#b3261e',
  },
  dark: {
    background: '#1a1d21',
    text: '#e8e8e8',
    muted: '#a3a6aa',
    gridLine: '#33373c',
    palette: ['#4ea8f2', '#ff8a3d', '#2fd0a0', '#e58fd0', '#f2d54e', '#b39dff', '#7fdbff', '#8fe07a'],
    alert: '#f5f5f5',
    onset: '#a3a6aa',
    threshold: '#ff5c5c',
  },
};
