// The other people's carets, drawn over the textarea. A textarea cannot mark positions itself, so
// a hidden mirror <div> with the same font, width and wrapping lays out the text up to a caret,
// and a marker at its end tells where that caret is on screen.

import { hasSurrogates, utf16Offset } from './text-diff.js';

/** A person's colour, the same on every screen: from their site. @param {number} site */
export function colourOf(site) {
  return `hsl(${Math.round((site * 137.508) % 360)}, 70%, 42%)`;
}

/** Styles the mirror copies so that it wraps exactly as the textarea does. */
const COPIED = /** @type {const} */ ([
  'fontFamily',
  'fontSize',
  'fontWeight',
  'fontStyle',
  'lineHeight',
  'letterSpacing',
  'wordSpacing',
  'tabSize',
  'textTransform',
  'textIndent',
  'paddingTop',
  'paddingRight',
  'paddingBottom',
  'paddingLeft',
  'whiteSpace',
  'overflowWrap',
  'wordBreak',
]);

export class CaretLayer {
  #textarea;
  #layer;
  #mirror;
  /** @type {Map<number, {name: string, caret: {anchor: number, head: number} | null}>} */
  #people = new Map();
  #frame = 0;

  /**
   * @param {HTMLTextAreaElement} textarea
   * @param {HTMLElement} layer an element over the textarea (same offset parent), for the carets
   */
  constructor(textarea, layer) {
    this.#textarea = textarea;
    this.#layer = layer;
    this.#mirror = document.createElement('div');
    this.#mirror.setAttribute('aria-hidden', 'true');
    Object.assign(this.#mirror.style, {
      position: 'absolute',
      visibility: 'hidden',
      top: '0',
      left: '-9999px',
      overflow: 'hidden',
    });
    document.body.append(this.#mirror);
    textarea.addEventListener('scroll', () => this.redraw());
    new ResizeObserver(() => this.redraw()).observe(textarea);
  }

  /** @param {Map<number, {name: string, caret: {anchor: number, head: number} | null}>} people */
  show(people) {
    this.#people = people;
    this.redraw();
  }

  /** Draws again at the next frame (the text or the layout changed). */
  redraw() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#draw();
    });
  }

  #draw() {
    const field = this.#textarea;
    Object.assign(this.#layer.style, {
      left: `${field.offsetLeft + field.clientLeft}px`,
      top: `${field.offsetTop + field.clientTop}px`,
      width: `${field.clientWidth}px`,
      height: `${field.clientHeight}px`,
    });
    const present = [...this.#people].filter(([, person]) => person.caret);
    const places = this.#positions(
      present.map(([, person]) => /** @type {{anchor: number, head: number}} */ (person.caret).head),
    );
    const carets = present.map(([site, { name }], i) => {
      const at = places[i];
      const mark = document.createElement('div');
      mark.className = 'caret';
      mark.dataset.site = String(site);
      mark.dataset.name = name;
      mark.style.setProperty('--colour', colourOf(site));
      mark.style.left = `${at.left - field.scrollLeft}px`;
      mark.style.top = `${at.top - field.scrollTop}px`;
      mark.style.height = `${at.height}px`;
      const label = document.createElement('span');
      label.textContent = name;
      mark.append(label);
      return mark;
    });
    this.#layer.replaceChildren(...carets);
  }

  /**
   * Where code point indexes are, relative to the textarea's padding box: one layout of the
   * mirror for every caret (laying out 100,000 characters costs milliseconds; once per caret
   * would multiply that by the people present).
   * @param {number[]} indexes
   */
  #positions(indexes) {
    if (indexes.length === 0) return [];
    const field = this.#textarea;
    const style = getComputedStyle(field);
    const mirror = this.#mirror;
    for (const name of COPIED) mirror.style[name] = style[name];
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    mirror.style.width = `${field.clientWidth - padding}px`;
    mirror.style.whiteSpace = 'pre-wrap';
    const value = field.value;
    const offset = (/** @type {number} */ index) =>
      Math.min(value.length, hasSurrogates(value) ? utf16Offset(value, index) : index);
    const order = indexes.map((index, i) => ({ at: offset(index), i })).sort((x, y) => x.at - y.at);
    const markers = new Array(indexes.length);
    const parts = [];
    let from = 0;
    for (const { at, i } of order) {
      parts.push(document.createTextNode(value.slice(from, at)));
      const marker = document.createElement('span');
      marker.textContent = '\u2060'; // zero width, and no line break where it stands
      parts.push(marker);
      markers[i] = marker;
      from = at;
    }
    mirror.replaceChildren(...parts);
    return markers.map((marker) => ({ left: marker.offsetLeft, top: marker.offsetTop, height: marker.offsetHeight }));
  }
}
