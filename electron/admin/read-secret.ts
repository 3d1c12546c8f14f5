/**
 * How the admin CLI asks for a person's PIN or passphrase: on a terminal, twice and without echo;
 * otherwise the first line of standard input (for scripts), capped at 1 KiB.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

const MAX_SECRET = 1024;

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function firstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    const newline = text.indexOf('\n');
    if (newline >= 0) return text.slice(0, newline).replace(/\r$/, '');
    if (text.length > MAX_SECRET) break;
  }
  return text.slice(0, MAX_SECRET + 1);
}

export async function readSecretFromUser(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return firstLine();
  const first = await askHidden(prompt);
  const again = await askHidden('again: ');
  if (first !== again) throw new Error('the two entries differ; nothing was written.');
  return first;
}
