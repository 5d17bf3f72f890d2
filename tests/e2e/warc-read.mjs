// warc-read.mjs - read a WARC file with warcio (the Webrecorder reader, from
// npm) as an independent check of what `citeaudit check --snapshot` writes:
// every record parses, digests match, request and response records pair up
// through WARC-Concurrent-To, and the HTTP headers of each parse.
//
//   node warc-read.mjs WARCIO_DIR FILE.warc.gz
//
// Prints one line per record and a summary as JSON on the last line; exits 1
// on any error.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';

const [, , warcioDir, file] = process.argv;
const mod = await import(pathToFileURL(path.join(warcioDir, 'node_modules/warcio/dist/index.js')).href);
const { WARCParser } = mod;

function b32(buf) {
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, acc = 0, out = '';
  for (const b of buf) {
    acc = (acc << 8) | b; bits += 8;
    while (bits >= 5) { out += alpha[(acc >>> (bits - 5)) & 31]; bits -= 5; }
    acc &= (1 << bits) - 1;
  }
  if (bits) out += alpha[(acc << (5 - bits)) & 31];
  return out;
}

const errors = [];
const ids = new Map();
const counts = {};
let n = 0, verified = 0;
const parser = new WARCParser(fs.createReadStream(file));
for await (const record of parser) {
  n++;
  const type = record.warcType;
  counts[type] = (counts[type] || 0) + 1;
  const id = record.warcHeader('WARC-Record-ID');
  const block = await record.readFully(false);
  const where = `record ${n} (${type} ${record.warcTargetURI || ''})`;
  if (record.warcHeaders.protocol !== 'WARC/1.1') errors.push(`${where}: version ${record.warcHeaders.protocol}`);
  if (!id || !/^<urn:uuid:[0-9a-f-]{36}>$/.test(id)) errors.push(`${where}: bad WARC-Record-ID ${id}`);
  if (!record.warcDate) errors.push(`${where}: no WARC-Date`);
  const want = record.warcHeader('WARC-Block-Digest');
  if (type !== 'warcinfo') {
    // warcio parsed the HTTP headers off the block; the digest covers them too
    const raw = Buffer.concat([Buffer.from(record.httpHeaders ? record.httpHeaders.toString() : ''), Buffer.from(block)]);
    if (!record.httpHeaders) errors.push(`${where}: HTTP headers not parsed`);
    if (want && raw.length === Number(record.warcHeader('Content-Length'))) {
      const got = 'sha1:' + b32(createHash('sha1').update(raw).digest());
      if (got !== want) errors.push(`${where}: block digest ${want}, computed ${got}`);
      else verified++;
    }
    const ct = record.warcHeader('Content-Type');
    if (ct !== `application/http;msgtype=${type}`) errors.push(`${where}: Content-Type ${ct}`);
    if (!record.warcHeader('WARC-Concurrent-To')) errors.push(`${where}: no WARC-Concurrent-To`);
    if (type === 'response') {
      const pd = record.warcHeader('WARC-Payload-Digest');
      const got = 'sha1:' + b32(createHash('sha1').update(Buffer.from(block)).digest());
      if (pd !== got) errors.push(`${where}: payload digest ${pd}, computed ${got}`);
      else verified++;
      if (!record.httpHeaders.statusCode) errors.push(`${where}: no HTTP status`);
    }
  }
  ids.set(id, { type, to: record.warcHeader('WARC-Concurrent-To') });
  console.log(`${n} ${type} ${record.warcTargetURI || '-'} ${record.httpHeaders ? (record.httpHeaders.statusCode || record.httpHeaders.method) : ''}`);
}
for (const [id, r] of ids) {
  if (r.type === 'warcinfo') continue;
  const other = ids.get(r.to);
  if (!other || other.to !== id) errors.push(`${id}: WARC-Concurrent-To ${r.to} does not point back`);
}
for (const e of errors) console.error('error: ' + e);
console.log(JSON.stringify({ records: n, types: counts, digests_verified: verified, errors: errors.length }));
process.exit(errors.length || !n ? 1 : 0);
