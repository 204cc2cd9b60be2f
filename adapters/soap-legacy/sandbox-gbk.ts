// GBK bytes for the sandbox's answers. No iconv here: the encoder is the inverse of the WHATWG `gbk`
// decoder, built once by decoding every two-byte sequence. A sandbox can afford the ~24k decodes.

let table: Map<number, number> | undefined;

function gbkTable(): Map<number, number> {
  if (table) return table;
  const t = new Map<number, number>();
  const decoder = new TextDecoder('gbk');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const s = decoder.decode(pair);
      const cp = s.codePointAt(0);
      if (cp !== undefined && s.length === 1 && s !== '\uFFFD' && !t.has(cp)) t.set(cp, (lead << 8) | trail);
    }
  }
  return (table = t);
}

/**
 * Encodes XML text as GBK. A character GBK lacks becomes a character reference, as legacy servers do:
 * valid because the sandbox only ever encodes element text and markup.
 */
export function encodeGbk(xml: string): Uint8Array<ArrayBuffer> {
  const t = gbkTable();
  const out: number[] = [];
  for (const ch of xml) {
    const cp = ch.codePointAt(0) ?? 0;
    const two = t.get(cp);
    if (cp < 0x80) out.push(cp);
    else if (two !== undefined) out.push(two >> 8, two & 0xff);
    else for (const c of `&#x${cp.toString(16)};`) out.push(c.charCodeAt(0));
  }
  return Uint8Array.from(out);
}
