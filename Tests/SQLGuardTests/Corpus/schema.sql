-- Tables the legitimate corpus reads. The guard tests only parse the corpus; this file lets a
-- test on a real PostgreSQL create the tables and run every legitimate statement for real.
CREATE TABLE respondents (
    id integer PRIMARY KEY,
    weight numeric NOT NULL,
    gender text NOT NULL,
    age integer NOT NULL,
    age_band text NOT NULL,
    region text NOT NULL,
    nccs text NOT NULL,
    joined_on date NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE events (
    id bigint PRIMARY KEY,
    respondent_id integer NOT NULL REFERENCES respondents (id),
    occurred_at timestamptz NOT NULL,
    category text NOT NULL,
    app text NOT NULL,
    duration_s integer NOT NULL,
    amount numeric(12, 2),
    payload jsonb,
    tags text[]
);

CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    category text NOT NULL,
    price numeric(10, 2) NOT NULL
);

CREATE SCHEMA panel;

CREATE TABLE panel.waves (
    wave integer PRIMARY KEY,
    started_on date NOT NULL,
    ended_on date NOT NULL
);

CREATE TABLE "Survey Answers" (
    "Respondent" integer NOT NULL,
    question text NOT NULL,
    answer text
);

INSERT INTO respondents
SELECT i,
       0.5 + (i % 7) * 0.25,
       CASE WHEN i % 2 = 0 THEN 'Female' ELSE 'Male' END,
       18 + (i * 7) % 50,
       CASE WHEN 18 + (i * 7) % 50 < 25 THEN '18-24' WHEN 18 + (i * 7) % 50 < 35 THEN '25-34' ELSE '35+' END,
       (ARRAY['North', 'South', 'East', 'West'])[1 + i % 4],
       (ARRAY['A', 'A1', 'B', 'C', 'D', 'E'])[1 + i % 6],
       DATE '2024-01-01' + i,
       jsonb_build_object('device', CASE WHEN i % 3 = 0 THEN 'ios' ELSE 'android' END, 'score', i % 10)
FROM generate_series(1, 200) AS i;

INSERT INTO events
SELECT i,
       1 + i % 200,
       TIMESTAMPTZ '2025-01-01 00:00:00+00' + i * INTERVAL '37 minutes',
       (ARRAY['sports', 'news', 'music', 'shopping'])[1 + i % 4],
       (ARRAY['alpha', 'beta', 'gamma'])[1 + i % 3],
       30 + i % 600,
       CASE WHEN i % 4 = 3 THEN (i % 97) + 0.99 END,
       jsonb_build_object('screen', 'home', 'items', jsonb_build_array(i % 5, i % 7), 'meta', jsonb_build_object('v', i % 3)),
       ARRAY['t' || (i % 3), 't' || (i % 5)]
FROM generate_series(1, 2000) AS i;

INSERT INTO products
SELECT i, 'product ' || i, (ARRAY['sports', 'news', 'music', 'shopping'])[1 + i % 4], 1 + (i % 50) * 1.5
FROM generate_series(1, 40) AS i;

INSERT INTO panel.waves VALUES (1, DATE '2025-01-01', DATE '2025-01-31'), (2, DATE '2025-02-01', DATE '2025-02-28');

INSERT INTO "Survey Answers"
SELECT 1 + i % 200, 'q' || (1 + i % 3), CASE WHEN i % 5 = 0 THEN NULL ELSE 'answer ' || (i % 4) END
FROM generate_series(1, 600) AS i;

ANALYZE;
