import { describe, expect, it } from 'vitest';
import { buildDirectoryIndex, indexSummaries } from '../../../../../../electron/main/services/directory/directory-index.js';
import { Directory, type DirectoryInput } from '../../../../../../shared/directory/schema.js';
import { ApiError } from '../../../../../../shared/ipc/errors.js';
import { generateDirectory } from '../../../../../support/generate-directory.js';

const parse = (d: DirectoryInput) => Directory.parse(d);

function inconsistency(d: DirectoryInput): ApiError {
  try {
    buildDirectoryIndex(parse(d));
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }
  throw new Error('expected the directory to be refused');
}

describe('directory index', () => {
  it('finds a client by its number in national, E.164, full-width and SIP URI forms', () => {
    const d = generateDirectory({ clients: 4 });
    d.clients[2]!.dids = ['03-1234-5678'];
    const index = buildDirectoryIndex(parse(d));
    for (const dialled of ['03-1234-5678', '0312345678', '+81312345678', '+81 3-1234-5678', '０３－１２３４－５６７８', 'sip:+81312345678@pbx.example;user=phone', '81312345678']) {
      expect(index.byDid(dialled)?.id, dialled).toBe('client-2');
    }
  });

  it('finds a client whose number the admin wrote in E.164 when the PBX sends it nationally', () => {
    const index = buildDirectoryIndex(parse(generateDirectory({ clients: 3 })));
    // didOf(1, 1) is written "+81600000101"
    expect(index.byDid('06-0000-0101')?.id).toBe('client-1');
  });

  it('answers undefined for an unknown or meaningless number', () => {
    const index = buildDirectoryIndex(parse(generateDirectory({ clients: 3 })));
    expect(index.byDid('03-9999-9999')).toBeUndefined();
    expect(index.byDid('anonymous')).toBeUndefined();
  });

  it('counts distinct numbers and finds clients by id', () => {
    const index = buildDirectoryIndex(parse(generateDirectory({ clients: 5 })));
    expect(index.didCount).toBe(15);
    expect(index.size).toBe(5);
    expect(index.summaries.map((c) => c.id)).toEqual(['client-0', 'client-1', 'client-2', 'client-3', 'client-4']);
    expect(index.byId('client-4')?.name).toBe('渡辺不動産4');
    expect(index.byId('nobody')).toBeUndefined();
  });

  it('indexes from summaries alone and fetches a full client only when it is looked up', () => {
    const directory = parse(generateDirectory({ clients: 3 }));
    const fetched: number[] = [];
    const index = indexSummaries(
      directory.clients.map(({ id, name, kana, dids }) => ({ id, name, kana, dids })),
      (i) => {
        fetched.push(i);
        return directory.clients[i]!;
      },
    );
    expect(index.didCount).toBe(9);
    expect(fetched).toEqual([]);
    expect(index.byDid('050-0000-0202')?.id).toBe('client-2');
    expect(index.byId('client-1')?.id).toBe('client-1');
    expect(index.byId('nobody')).toBeUndefined();
    expect(fetched).toEqual([2, 1]);
  });

  it('refuses the same number in two summaries before any client is fetched', () => {
    const summaries = [
      { id: 'a', name: 'A', kana: 'エー', dids: ['03-1234-5678'] },
      { id: 'b', name: 'B', kana: 'ビー', dids: ['+81 3 1234 5678'] },
    ];
    expect(() => indexSummaries(summaries, () => {
      throw new Error('no client should be fetched');
    })).toThrow('The directory is inconsistent: the number 03-1234-5678 is listed by two clients: clients[0] (id "a", A) as "03-1234-5678" and clients[1] (id "b", B) as "+81 3 1234 5678".');
  });

  it('refuses the same number in two clients, naming both clients, how each wrote it, and the number', () => {
    const d = generateDirectory({ clients: 5 });
    d.clients[0]!.dids.push('03-1234-5678');
    d.clients[3]!.dids.push('+81312345678');
    const err = inconsistency(d);
    expect(err.code).toBe('directory-invalid');
    expect(err.message).toBe(
      'The directory is inconsistent: the number 03-1234-5678 is listed by two clients: ' +
        'clients[0] (id "client-0", 佐藤法律事務所0) as "03-1234-5678" and clients[3] (id "client-3", 田中システムズ3) as "+81312345678".',
    );
  });

  it('lists every conflict in the details, not only the first', () => {
    const d = generateDirectory({ clients: 5 });
    d.clients[1]!.dids.push(d.clients[0]!.dids[0]!);
    d.clients[4]!.dids.push(d.clients[2]!.dids[1]!);
    const err = inconsistency(d);
    expect(err.message).toMatch(/\(and 1 more problem\)\.$/);
    expect(err.details).toHaveLength(2);
  });

  it('keeps a number listed twice by the same client', () => {
    const d = generateDirectory({ clients: 2 });
    d.clients[1]!.dids = ['03-1234-5678', '+81312345678'];
    expect(buildDirectoryIndex(parse(d)).byDid('0312345678')?.id).toBe('client-1');
  });

  it('refuses two clients with the same id', () => {
    const d = generateDirectory({ clients: 3 });
    d.clients[2]!.id = 'client-0';
    expect(inconsistency(d).message).toContain('client id "client-0" is used twice: clients[0] (id "client-0", 佐藤法律事務所0) and clients[2]');
  });

  it('refuses a number that cannot be dialled, naming the client and the path', () => {
    const d = generateDirectory({ clients: 2 });
    d.clients[1]!.dids[1] = '0123456';
    expect(inconsistency(d).message).toContain('clients[1] (id "client-1", 鈴木通販1): dids.1: "0123456" is not a dialable number');
  });

  it('refuses a time zone that does not exist', () => {
    const d = generateDirectory({ clients: 2 });
    d.clients[0]!.businessHours.timezone = 'Asia/Atlantis';
    expect(inconsistency(d).message).toContain('businessHours.timezone: "Asia/Atlantis" is not an IANA time zone');
  });

  it('strips bidi overrides and control characters from names quoted in errors', () => {
    const d = generateDirectory({ clients: 2 });
    d.clients[0]!.name = 'Evil\u202Egnp.exe\u0007';
    d.clients[1]!.id = 'client-0';
    const err = inconsistency(d);
    expect(err.message).toContain('(id "client-0", Evilgnp.exe)');
  });
});
