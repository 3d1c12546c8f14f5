/**
 * Drill child: an operator finishing messages and handing them off one after another while the
 * outbox delivers (real vault, sealed outbox, webhook over TLS to the drill's loopback receiver),
 * until it is SIGKILLed. Prints `ready <noteId>` once a message is saved and marked ready, and
 * `handed <noteId>` once its hand-off has been accepted.
 */
import { childInput } from '../drill-harness.js';
import { openHandOffDesk, type HandOffDeskOptions } from '../handoff-desk.js';

const input = childInput<HandOffDeskOptions & { first: number }>();
const desk = openHandOffDesk(input);
desk.service.outbox.start();
process.stdout.write('started\n');
for (let n = input.first; ; n++) {
  const id = desk.takeMessage(n);
  process.stdout.write(`ready ${id}\n`);
  desk.service.handOff(id);
  process.stdout.write(`handed ${id}\n`);
  await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 25));
}
