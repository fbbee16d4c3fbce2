// XLSX reading for the tests: the entries of a zip and a worksheet's cells
// (as tests/api/exports.test.mjs reads them).
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';

// The entries of a zip file, inflated with zlib (central directory).
export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a zip end record');
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(off), 0x02014b50);
    const method = buf.readUInt16LE(off + 10);
    const csize = buf.readUInt32LE(off + 20);
    const nlen = buf.readUInt16LE(off + 28), elen = buf.readUInt16LE(off + 30), clen = buf.readUInt16LE(off + 32);
    const loff = buf.readUInt32LE(off + 42);
    const name = buf.subarray(off + 46, off + 46 + nlen).toString('utf8');
    const data = loff + 30 + buf.readUInt16LE(loff + 26) + buf.readUInt16LE(loff + 28);
    const raw = buf.subarray(data, data + csize);
    out[name] = (method === 0 ? raw : inflateRawSync(raw)).toString('utf8');
    off += 46 + nlen + elen + clen;
  }
  return out;
}

// The cells of a worksheet, row by row, placed by their reference (an
// empty cell is not written at all): {attrs, text, formula}.
export function sheetRows(xml) {
  const unesc = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const colOf = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return [...xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((m) => {
    const row = [];
    for (const c of m[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const ref = /r="([A-Z]+\d+)"/.exec(c[1]);
      assert.ok(ref, 'a cell reference');
      const inner = c[2] || '';
      const t = /<t[^>]*>(.*?)<\/t>/s.exec(inner);
      const v = /<v>(.*?)<\/v>/s.exec(inner);
      row[colOf(ref[1])] = { attrs: c[1], text: t ? unesc(t[1]) : v ? v[1] : '', formula: /<f[\s>]/.test(inner) };
    }
    for (let i = 0; i < row.length; i++) if (!row[i]) row[i] = { attrs: '', text: '', formula: false };
    return row;
  });
}

