-- The marketplace (issue 42, docs/adr/0085): accounts and a double-entry ledger of integer credits, offerings and
-- purchases. Every movement is a row here plus balanced entries (they sum to zero), committed in one transaction with
-- the purchase transition that caused it; its key is unique, so a retried settlement never moves credits twice.
CREATE TABLE ledger_movements (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    movement_key TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    purchase_id  TEXT,
    memo         TEXT,
    created_at   BIGINT NOT NULL
);

CREATE TABLE ledger_accounts (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('user', 'escrow', 'fee', 'issuance')),
    balance    BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    -- No balance is ever negative, except the issuance account's: minting debits it, so it is minus all credits made.
    CHECK (balance >= 0 OR kind = 'issuance'),
    CHECK (balance <= 0 OR kind <> 'issuance')
);

INSERT INTO ledger_accounts (id, kind, balance, created_at) VALUES ('platform:issuance', 'issuance', 0, 0);
INSERT INTO ledger_accounts (id, kind, balance, created_at) VALUES ('platform:escrow', 'escrow', 0, 0);
INSERT INTO ledger_accounts (id, kind, balance, created_at) VALUES ('platform:fees', 'fee', 0, 0);

CREATE TABLE ledger_entries (
    movement_seq BIGINT NOT NULL REFERENCES ledger_movements (seq),
    account_id   TEXT NOT NULL REFERENCES ledger_accounts (id),
    amount       BIGINT NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (movement_seq, account_id)
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, movement_seq);

CREATE TABLE market_offerings (
    id               TEXT PRIMARY KEY,
    seller           TEXT NOT NULL,
    capability       TEXT NOT NULL,
    price            BIGINT NOT NULL CHECK (price > 0),
    max_latency_ms   BIGINT NOT NULL CHECK (max_latency_ms > 0),
    auto_accept      INTEGER NOT NULL CHECK (auto_accept IN (0, 1)),
    accept_window_ms BIGINT NOT NULL CHECK (accept_window_ms > 0),
    description      TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    withdrawn_at     BIGINT,
    sold             BIGINT NOT NULL DEFAULT 0,
    completed        BIGINT NOT NULL DEFAULT 0,
    disputed         BIGINT NOT NULL DEFAULT 0,
    latency_total_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX market_offerings_by_seller ON market_offerings (seller);

CREATE TABLE market_purchases (
    id          TEXT PRIMARY KEY,
    offering_id TEXT NOT NULL REFERENCES market_offerings (id),
    buyer       TEXT NOT NULL,
    seller      TEXT NOT NULL,
    price       BIGINT NOT NULL CHECK (price > 0),
    fee         BIGINT NOT NULL CHECK (fee >= 0 AND fee <= price),
    status      TEXT NOT NULL,
    payload     TEXT,
    attempt     INTEGER NOT NULL DEFAULT 0,
    job_id      TEXT,
    result      TEXT,
    error       TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    accept_by   BIGINT NOT NULL,
    accepted_at BIGINT
);
CREATE INDEX market_purchases_by_status ON market_purchases (status, accept_by);
CREATE INDEX market_purchases_by_buyer ON market_purchases (buyer, created_at);
CREATE INDEX market_purchases_by_seller ON market_purchases (seller, created_at);
