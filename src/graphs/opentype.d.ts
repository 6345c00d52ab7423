// The part of opentype.js 1.x that graph-font.ts uses. @types/opentype.js is not used: it pulls
// the DOM library into the whole program, which changes the types of fetch bodies elsewhere.
declare module 'opentype.js' {
  interface Glyph {
    advanceWidth?: number;
  }
  interface Font {
    unitsPerEm: number;
    charToGlyph(character: string): Glyph;
  }
  function parse(buffer: ArrayBuffer, options?: { lowMemory?: boolean }): Font;
  const opentype: { parse: typeof parse };
  export default opentype;
}
