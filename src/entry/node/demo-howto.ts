import { join, relative } from 'node:path';
import type { DemoSandbox } from './demo-sandboxes';
import type { ResolvedMember } from './resolve';

export interface HowToFacts {
  members: ResolvedMember[];
  sandboxes: DemoSandbox[];
  dataDir: string;
  dir: string;
  created: string[];
  clerksFile: string;
  /** Members whose clerks were made at this start. */
  newClerks: string[];
  databaseUrlIgnored: boolean;
}

const shown = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : `./${relative(process.cwd(), path)}`);
/** Reads one field of the JSON answer on stdin, with nothing but node. */
const field = (name: string) => `node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).${name}'`;

// The demo case: 出具贷款职工住房公积金缴存使用证明, taken in at gaoxin and handled by xihaike (its partner file).
const NEW_CASE = JSON.stringify({
  itemCode: 'KS-GJJ-006', mode: 'proxy_intake',
  applicant: { kind: 'person', name: '李四', idType: 'resident_id', idNumber: '370211199001011234' },
  identityCheck: { method: 'id_card_reader', result: 'passed' },
  delivery: { method: 'window' }, consent: { dataSharing: true, at: '2026-01-05T09:00:00+08:00' },
});

/** What `npm start` prints in dev mode: who runs where, where the tokens are, and a case to take end to end. */
export function demoHowTo(f: HowToFacts): string {
  const [gx, xhk, cd] = f.members;
  const auth = (role: string) => `-H "authorization: Bearer $${role}"`;
  const json = `-H 'content-type: application/json'`;
  const rows = f.members.map((m) => {
    const sandbox = f.sandboxes.find((s) => s.member === m.memberId);
    return `  ${m.memberId.padEnd(11)} ${m.publicUrl}   back office: ${sandbox ? `${sandbox.adapter} sandbox ${sandbox.url}` : 'none (its clerks handle cases through the API)'}`;
  });
  return [
    '',
    'cloud-handshake: no configuration found, so this is a local development alliance of three members,',
    `each with its own embedded database (${shown(join(f.dataDir, '<member>', 'db'))}), keys and partner back office (an in-memory sandbox).`,
    ...(f.databaseUrlIgnored ? ['DATABASE_URL is not used by the dev alliance: one PostgreSQL database cannot hold three members.'] : []),
    f.created.length ? `Created in ${f.dir}:\n${f.created.map((c) => `  ${c}`).join('\n')}` : `Using the dev alliance in ${f.dir}.`,
    'Members:',
    ...rows,
    `Clerk API (Swagger UI): ${gx!.publicUrl}/api/docs   (and ${xhk!.publicUrl}/api/docs, ${cd!.publicUrl}/api/docs)`,
    `Clerk tokens, one per role and member: ${f.clerksFile} (0600${f.newClerks.length ? `; made now for ${f.newClerks.join(', ')}` : ''})`,
    '',
    'Take a case end to end: an applicant at gaoxin\'s window asks for a certificate (KS-GJJ-006) that xihaike issues.',
    `  . ${shown(f.clerksFile)}; GX=${gx!.publicUrl}; XHK=${xhk!.publicUrl}`,
    '  # 1. gaoxin\'s intake clerk takes the case in (异地代收代办)',
    `  REF=$(curl -s $GX/api/v1/cases ${auth('GAOXIN_INTAKE_TOKEN')} ${json} -d '${NEW_CASE}' | ${field('ref')}); echo $REF`,
    '  # 2. uploads the materials the item needs (GET $GX/api/v1/cases/$REF/completeness lists what is missing)',
    `  for m in id-card application; do curl -s $GX/api/v1/cases/$REF/materials ${auth('GAOXIN_INTAKE_TOKEN')} ${json} -d "{\\"requirement\\":\\"$m\\",\\"name\\":\\"$m\\",\\"mediaType\\":\\"application/pdf\\",\\"content\\":\\"JVBERi0xLjQK\\"}"; echo; done`,
    '  # 3. transfers it: signed, through the outbox, to xihaike, whose signed receipt comes back',
    `  curl -s -X POST $GX/api/v1/cases/$REF/transfer ${auth('GAOXIN_INTAKE_TOKEN')}; echo`,
    '  # 4. watches it: its state (received once xihaike\'s receipt is back), xihaike\'s ref for it (remoteRef), the timeline',
    `  curl -s $GX/api/v1/cases/$REF ${auth('GAOXIN_INTAKE_TOKEN')}; echo`,
    `  curl -s $GX/api/v1/cases/$REF/timeline ${auth('GAOXIN_INTAKE_TOKEN')}; echo`,
    '  # 5. xihaike\'s handling clerk moves it on (accepted, decided, result_issued, shipped ...); gaoxin\'s case follows',
    `  for i in 1 2 3 4 5 6 7 8 9 10; do XREF=$(curl -s $GX/api/v1/cases/$REF ${auth('GAOXIN_INTAKE_TOKEN')} | ${field('remoteRef')}); [ "$XREF" != null ] && break; sleep 1; done`,
    `  curl -s $XHK/api/v1/cases/$XREF/events ${auth('XIHAIKE_HANDLING_TOKEN')} ${json} -d '{"type":"accepted","note":"材料齐全"}'; echo`,
    '',
  ].join('\n');
}
