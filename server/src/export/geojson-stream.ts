import type { Writable } from 'node:stream';
import type { Report } from '@truceline/shared';
import { reportToFeature } from './feature.js';

function write(out: Writable, chunk: string): Promise<void> {
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      out.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      out.off('drain', onDrain);
      reject(new Error('client went away during export'));
    };
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

/**
 * Writes a FeatureCollection chunk by chunk, waiting for the socket to drain, so memory
 * stays flat however many reports match. It never writes the closing `]}` after a failure:
 * the caller aborts the response, and a cut file fails to parse instead of looking whole.
 */
export async function writeFeatureCollection(out: Writable, chunks: AsyncIterable<Report[]>): Promise<number> {
  let count = 0;
  await write(out, '{"type":"FeatureCollection","features":[\n');
  for await (const reports of chunks) {
    let text = '';
    for (const report of reports) {
      text += (count === 0 ? '' : ',\n') + JSON.stringify(reportToFeature(report));
      count++;
    }
    await write(out, text);
  }
  await write(out, '\n]}\n');
  return count;
}
