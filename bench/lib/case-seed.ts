import type { Sql } from 'postgres';

/** The other members of the seeded cases, most frequent first. */
export const SEED_MEMBERS = ['xihaike', 'chengdu-gx', 'shenzhen-ns', 'hangzhou-xh', 'wuhan-dh', 'xian-gx', 'suzhou-gy', 'hefei-gx', 'nanjing-jb', 'tianjin-bh', 'zhengzhou-zd', 'changsha-yl'];
const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲芬燕彬鹏辉建国志海林波宁欣怡晨宇浩然子轩嘉琪雪梅'];
/** Hours of each hop's SLA (as partners/*.json write them). */
const HOP_HOURS = `case state when 'transferring' then 4 when 'received' then 24 when 'supplement_requested' then 120
  when 'accepted' then 160 when 'under_review' then 160 when 'decided' then 72 when 'result_issued' then 72 when 'shipped' then 72 end`;

/**
 * The state of a case by its age: older than 45 days nearly all closed (archived, evaluated, delivered,
 * or rejected / withdrawn / returned); younger ones spread over the whole workflow.
 */
const STATE = `case when age_days > 45 then
    case when r_state < 0.82 then 'archived' when r_state < 0.88 then 'evaluated' when r_state < 0.92 then 'delivered'
         when r_state < 0.95 then 'rejected' when r_state < 0.98 then 'withdrawn' else 'returned' end
  else
    case when r_state < 0.05 then 'intake' when r_state < 0.08 then 'transferring' when r_state < 0.18 then 'received'
         when r_state < 0.38 then 'accepted' when r_state < 0.46 then 'supplement_requested' when r_state < 0.53 then 'under_review'
         when r_state < 0.63 then 'decided' when r_state < 0.70 then 'result_issued' when r_state < 0.78 then 'shipped'
         when r_state < 0.88 then 'delivered' when r_state < 0.93 then 'evaluated' when r_state < 0.97 then 'archived'
         when r_state < 0.985 then 'rejected' when r_state < 0.995 then 'withdrawn' else 'returned' end
  end`;

/**
 * One INSERT ... SELECT over generate_series: `count` cases of member `self` created over the two years
 * before `now`, newest last. 15% handling (sent to `self` by another member), the rest intake at six
 * windows; items skewed over the catalog (a few items take most cases), other members skewed likewise;
 * applicant names from common surnames and given names (2 or 3 characters); hop SLAs running on open
 * cases (about one in eight past due), the item's deadline on every case accepted. The sealed columns
 * hold one real sealed value each (the same for every row). Deterministic: setseed first.
 */
export async function seedCases(sql: Sql, o: { count: number; self: string; items: string[]; now: Date; sealedId: string; sealedPhone: string }): Promise<void> {
  const query = `
insert into cases (ref, role, intake_member, handling_member, intake_case_id, item_code, mode, state, state_detail, remote_ref,
  applicant_kind, applicant_name, applicant_id_type, applicant_id_sealed, applicant_id_masked, applicant_phone_sealed,
  intake, delivery, consent, materials_digest, receipt_id, hop_started_at, hop_due_at, deadline_at, received_at, created_at, updated_at)
select 'cs_' || substr(md5('case' || g), 1, 16), role, intake_member, handling_member,
  intake_member || '-' || to_char(created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad((g % 9999 + 1)::text, 4, '0'),
  item_code, 'proxy_intake', state,
  jsonb_build_object('status', state, 'delivery', delivery_method, 'received', state not in ('intake', 'transferring'), 'accepted', accepted, 'supplementRequested', state = 'supplement_requested'),
  case when role = 'intake' and state not in ('intake', 'transferring') then 'cs_' || substr(md5('remote' || g), 1, 16) end,
  'person', name, 'resident_id', $5, (370100 + (g::bigint * 7919) % 900)::text || '********' || lpad(((g::bigint * 104729) % 10000)::text, 4, '0'),
  case when r_phone < 0.6 then $6 end,
  jsonb_build_object('member', intake_member, 'window', win, 'clerk', 'ck_' || substr(md5('clerk' || (g % 40)), 1, 16), 'receivedAt', created_at,
    'identityCheck', jsonb_build_object('method', 'id_card_reader', 'result', 'passed')),
  jsonb_build_object('method', delivery_method), jsonb_build_object('dataSharing', true, 'at', created_at),
  case when state <> 'intake' then substr(md5('digest' || g) || md5('d2' || g), 1, 43) end,
  case when state not in ('intake', 'transferring') then 'rc_' || substr(md5('receipt' || g), 1, 16) end,
  hop_started_at, hop_started_at + make_interval(hours => hop_hours),
  case when not accepted then null
       when state in ('accepted', 'supplement_requested', 'under_review') then $4::timestamptz + make_interval(days => (r_hop * 40 - 4)::int)
       else created_at + make_interval(days => 5 + (r_hop * 25)::int) end,
  case when state not in ('intake', 'transferring') then created_at + interval '2 hours' end,
  created_at, least($4::timestamptz, created_at + interval '3 hours')
from (
  select b.*, ${HOP_HOURS} as hop_hours,
    case when ${HOP_HOURS} is not null then greatest(created_at, $4::timestamptz - make_interval(secs => ${HOP_HOURS} * 3600 * 1.15 * r_hop)) end as hop_started_at,
    state in ('accepted', 'under_review', 'decided', 'result_issued', 'shipped', 'delivered', 'evaluated')
      or (state = 'archived' and r_acc < 0.9) or (state = 'supplement_requested' and r_acc < 0.5) as accepted
  from (
    select a.*, ${STATE} as state
    from (
      select g, created_at, extract(epoch from ($4::timestamptz - created_at)) / 86400 as age_days,
        random() as r_state, random() as r_hop, random() as r_acc, random() as r_phone,
        case when r_role < 0.15 then 'handling' else 'intake' end as role,
        case when r_role < 0.15 then members[1 + floor(power(random(), 2) * cardinality(members))::int] else $2::text end as intake_member,
        case when r_role < 0.15 then $2::text end as handling_member0,
        (($3::text[])[1 + floor(power(random(), 2) * cardinality($3::text[]))::int]) as item_code,
        case when r_role < 0.15 then 'window-1' else 'kuayu-' || (1 + floor(power(random(), 1.5) * 6)::int) end as win,
        (array['window', 'window', 'window', 'post', 'post', 'electronic'])[1 + floor(random() * 6)::int] as delivery_method,
        ($7::text[])[1 + floor(power(random(), 1.6) * cardinality($7::text[]))::int] || ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int]
          || case when random() < 0.55 then ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int] else '' end as name,
        members[1 + floor(power(random(), 2) * cardinality(members))::int] as other
      from (
        select g, random() as r_role, $9::text[] as members,
          $4::timestamptz - make_interval(secs => (($1 - g) + random()) * (730 * 86400.0 / $1) + 60) as created_at
        from generate_series(1, $1::int) g
      ) s
    ) a
  ) b
) c
cross join lateral (select case when role = 'intake' and state <> 'intake' then other when role = 'handling' then handling_member0 end as handling_member) h`;
  await sql.begin(async (tx) => {
    await tx`select setseed(0.42)`;
    await tx.unsafe('set local synchronous_commit = off');
    await tx.unsafe(query, [o.count, o.self, o.items, o.now, o.sealedId, o.sealedPhone, SURNAMES, GIVEN, SEED_MEMBERS] as never[]);
  });
}

/** What `GET /api/v1/cases?overdue=true` should find for a supervisor: open clocks past due, as clockView says. */
export async function countOverdue(sql: Sql, self: string, now: Date): Promise<number> {
  const [row] = await sql`select count(*)::int as n from cases
    where ((role = 'intake' and intake_member = ${self}) or (role = 'handling' and handling_member = ${self})) and parent_ref is null
      and state <> 'supplement_requested'
      and (hop_due_at < ${now} or (state in ('accepted', 'supplement_requested', 'under_review') and deadline_at < ${now}))`;
  return row!.n as number;
}
