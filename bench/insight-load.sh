#!/usr/bin/env bash
# The insight pages at scale (docs/insight.md, docs/benchmarks.md): seeds PEOPLE people (default 100,000; 12
# departments, about 3 shares and 3 wants each, as bench/people-load.sh) into a private PostgreSQL, adds in SQL four
# cycles and SESSIONS held sessions (default 300,000: a random teacher and one to four random learners, each learner's
# usefulness rating as feedback), lets every other person allow teaching credit, and deactivates one person in fifty.
# Then drives each insight page with wrk (CONNECTIONS, default 4, for DURATION each) signed in as the admin and prints
# its p50–p99, with the machine's load (and, first, the size of each page). HOLD=1 keeps the database afterwards. The bulk insert turns foreign-key checks off (session_replication_role =
# replica): the sessions point at no offer, which no insight query reads.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${PEOPLE:-100000}
sessions=${SESSIONS:-300000}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-4}
port=${PORT:-25552}
pg_port=${PG_PORT:-25550}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

. scripts/postgres.sh
. scripts/bench-server.sh
work=$(mktemp -d /tmp/tacit-insight-load.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT
trap "exit 143" TERM INT  # so that stopping a HOLD=1 run still stops PostgreSQL
start_postgres "$pg_port"
export Database__Provider=Postgres ConnectionStrings__Default="Host=$POSTGRES_DIR;Port=$pg_port;Username=postgres;Database=tacit_insight;Maximum Pool Size=20"

seed_and_serve "$people" "$port" "$work"
sql() { psql -h "$POSTGRES_DIR" -p "$pg_port" -U postgres -d tacit_insight -v ON_ERROR_STOP=1 -Atq "$@"; }
org=$(sql -c "SELECT \"OrganisationId\" FROM \"People\" WHERE \"Email\" = '$SEED_EMAIL'")
sql <<SQL
SET session_replication_role = replica;
INSERT INTO "Cycles" ("Id", "OrganisationId", "Name", "State", "IntakeOpens", "IntakeCloses", "MatchingDate", "CreatedAt", "Departments")
SELECT gen_random_uuid(), '$org', 'Cycle ' || c, 'Closed', current_date - 400 + c * 90, current_date - 390 + c * 90, current_date - 385 + c * 90,
       now() - make_interval(days => 400 - c * 90), '{}'
FROM generate_series(1, 4) AS c;
CREATE TEMP TABLE ids AS SELECT row_number() OVER () AS n, "Id" FROM "People" WHERE "OrganisationId" = '$org';
CREATE TEMP TABLE cycles AS SELECT row_number() OVER (ORDER BY "CreatedAt") AS n, "Id" FROM "Cycles" WHERE "OrganisationId" = '$org';
CREATE TEMP TABLE skills AS SELECT row_number() OVER () AS n, "Id" FROM "Skills" WHERE "OrganisationId" = '$org';
CREATE UNIQUE INDEX ON ids (n);
CREATE UNIQUE INDEX ON skills (n);
ANALYZE ids; ANALYZE skills;
INSERT INTO "Sessions" ("Id", "OrganisationId", "CycleId", "OfferId", "TeacherId", "SkillId", "Kind", "StartsAt", "DurationMinutes",
                        "LearnerIds", "Status", "CancelReason", "Sequence", "CreatedAt")
SELECT gen_random_uuid(), '$org', c."Id", gen_random_uuid(), t."Id", k."Id", CASE WHEN s.learners > 1 THEN 'Group' ELSE 'OneToOne' END,
       now() - make_interval(days => (1 + s.i % 300)::int), CASE WHEN s.learners > 1 THEN 60 ELSE 30 END,
       ARRAY(SELECT (SELECT l."Id" FROM ids AS l WHERE l.n = 1 + ((s.i * 7919 + j * 104729) % $people)) FROM generate_series(1, s.learners) AS j),
       'Scheduled', '', 0, now()
FROM (SELECT i::bigint AS i, 1 + (i % 4) AS learners FROM generate_series(1, $sessions) AS i) AS s
JOIN ids AS t ON t.n = 1 + (s.i * 31 % $people)
JOIN cycles AS c ON c.n = 1 + s.i % 4
JOIN skills AS k ON k.n = 1 + s.i % $(sql -c "SELECT count(*) FROM \"Skills\" WHERE \"OrganisationId\" = '$org'");
INSERT INTO "SessionFeedback" ("Id", "OrganisationId", "SessionId", "PersonId", "AsTeacher", "TeacherId", "SkillId", "Happened", "Usefulness",
                               "Learned", "WentWell", "ThankYou", "ThankYouIsPublic", "GivenAt")
SELECT gen_random_uuid(), s."OrganisationId", s."Id", s."LearnerIds"[1], false, s."TeacherId", s."SkillId", true, 1 + abs(hashtext(s."Id"::text)::bigint) % 5,
       '', '', '', false, s."StartsAt"
FROM "Sessions" AS s WHERE s."OrganisationId" = '$org';
UPDATE "People" SET "RecognitionVisibility" = 1 WHERE "OrganisationId" = '$org' AND abs(hashtext("Id"::text)::bigint) % 2 = 0;
UPDATE "People" SET "IsActive" = false WHERE "OrganisationId" = '$org' AND abs(hashtext("Id"::text)::bigint) % 50 = 1 AND "Email" <> '$SEED_EMAIL';
-- Skills at risk, so that training needs and succession have something to find (each catalogue skill is shared by
-- hundreds here): 1,000 more skills, each wanted by 5–64 active people; of them 251–500 are shared by one or two
-- people, 501–750 only by people who left, 751–1000 by three to five people of one department, and 1–250 by nobody.
INSERT INTO "Skills" ("Id", "OrganisationId", "Name", "Category", "Description")
SELECT gen_random_uuid(), '$org', 'Bench skill ' || k, 'Bench', '' FROM generate_series(1, 1000) AS k;
CREATE TEMP TABLE risky AS SELECT row_number() OVER (ORDER BY "Name") AS n, "Id" FROM "Skills" WHERE "OrganisationId" = '$org' AND "Category" = 'Bench';
CREATE TEMP TABLE here AS SELECT row_number() OVER () AS n, "Id" FROM "People" WHERE "OrganisationId" = '$org' AND "IsActive";
CREATE TEMP TABLE gone AS SELECT row_number() OVER () AS n, "Id" FROM "People" WHERE "OrganisationId" = '$org' AND NOT "IsActive";
CREATE TEMP TABLE by_department AS SELECT row_number() OVER (PARTITION BY "Department") AS n, dense_rank() OVER (ORDER BY "Department") AS d, "Id"
  FROM "People" WHERE "OrganisationId" = '$org' AND "IsActive";
INSERT INTO "Wants" ("Id", "OrganisationId", "PersonId", "SkillId", "Priority", "Why", "PreferredTeacherId", "CreatedAt")
SELECT gen_random_uuid(), '$org', p."Id", r."Id", 1 + (r.n + j) % 3, '', NULL, now()
FROM risky AS r CROSS JOIN LATERAL generate_series(1, 5 + r.n % 60) AS j
JOIN here AS p ON p.n = 1 + ((r.n * 7919 + j * 104729) % (SELECT count(*) FROM here))
ON CONFLICT DO NOTHING;
INSERT INTO "Shares" ("Id", "OrganisationId", "PersonId", "SkillId", "Level", "SessionsPerCycle", "AcceptsGroups", "MaxGroupSize", "CreatedAt")
SELECT gen_random_uuid(), '$org'::uuid, p."Id", r."Id", 2, 1, false, 1, now()
FROM risky AS r CROSS JOIN LATERAL generate_series(1, 1 + r.n % 2) AS j
JOIN here AS p ON p.n = 1 + ((r.n * 31 + j * 7) % (SELECT count(*) FROM here))
WHERE r.n BETWEEN 251 AND 500
UNION ALL
SELECT gen_random_uuid(), '$org'::uuid, p."Id", r."Id", 2, 1, false, 1, now()
FROM risky AS r CROSS JOIN LATERAL generate_series(1, 1 + r.n % 3) AS j
JOIN gone AS p ON p.n = 1 + ((r.n * 31 + j * 7) % (SELECT count(*) FROM gone))
WHERE r.n BETWEEN 501 AND 750
UNION ALL
SELECT gen_random_uuid(), '$org'::uuid, p."Id", r."Id", 2, 1, false, 1, now()
FROM risky AS r CROSS JOIN LATERAL generate_series(1, 3 + r.n % 3) AS j
JOIN by_department AS p ON p.d = 1 + r.n % (SELECT max(d) FROM by_department) AND p.n = j + r.n
WHERE r.n > 750
ON CONFLICT DO NOTHING;
ANALYZE "Skills"; ANALYZE "Shares"; ANALYZE "Wants";
SET session_replication_role = origin;
VACUUM ANALYZE;
SQL
echo "seeded: $(sql -c "SELECT count(*) FROM \"People\"") people, $(sql -c "SELECT count(*) FROM \"Sessions\"") sessions, $(sql -c "SELECT count(*) FROM \"SessionFeedback\"") ratings"

signin() {
  local jar="$work/cookies" token
  rm -f "$jar"
  token=$(curl -s -c "$jar" "$base/signin" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null -d "_handler=signin" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.Email=$SEED_EMAIL" --data-urlencode "Input.Password=$SEED_PASSWORD" "$base/signin"
  cookie=$(awk '$6 ~ /Identity/ {print $6"="$7}' "$jar")
  [ -n "$cookie" ] || { echo "sign-in failed"; exit 1; }
}
signin
lua=bench/Tacit.Bench/People/percentiles.lua
pages=(/insight/training-needs /insight/succession /insight/network /insight/teaching-credit)
for path in "${pages[@]}"; do
  read -r status size seconds < <(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}\n' -H "Cookie: $cookie" "$base$path")
  [ "$status" = 200 ] || { echo "$path answered $status"; tail -30 "$work/server.log"; exit 1; }
  echo "$path: first answer (figures computed) $size bytes in $seconds s"
  wrk -t1 -c"$connections" -d5s -H "Cookie: $cookie" "$base$path" >/dev/null
done
echo "Tacit insight load test: $people people, $sessions sessions, $connections connections, $duration each, $(nproc) cores, app, PostgreSQL and wrk on one machine"
signin
for path in "${pages[@]}"; do
  echo "== $path (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  wrk -t1 -c"$connections" -d"$duration" --timeout 60s -s "$lua" -H "Cookie: $cookie" "$base$path" | grep -E '^(requests|p[0-9]+|max)'
done
# The figures are held for ten minutes (docs/insight.md, "Speed"): what each report costs to compute again, through the API.
for path in /api/insight/training-needs /api/insight/succession /api/insight/network /api/insight/teaching-credit; do
  for _ in 1 2 3; do curl -s -o /dev/null -w "$path?refresh=true: computed again in %{time_total} s (%{size_download} bytes)\n" -H "Cookie: $cookie" "$base$path?refresh=true"; done
done
grep -A6 -E "^fail|Exception" "$work/server.log" | head -20 || true
# HOLD=1 keeps PostgreSQL (and the seeded data) after the figures, for EXPLAIN ANALYZE or a rebuilt server against it,
# until this script is stopped.
if [ -n "${HOLD:-}" ]; then
  echo "holding: psql -h $POSTGRES_DIR -p $pg_port -U postgres -d tacit_insight; server PID $server; stop this script (PID $$) to end"
  while kill -0 $$ 2>/dev/null; do sleep 60; done
fi
