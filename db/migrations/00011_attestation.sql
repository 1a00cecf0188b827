-- The customer's Microsoft Customer Agreement attestation, given with its
-- acceptance of a reseller relationship request: the person who accepted,
-- the company, when (the app's clock at the answer) and the address the page
-- gave to read the agreement. One row per accepted request, none in
-- Microsoft Cloud for US Government, where Microsoft takes no attestation.

-- +goose Up
CREATE TABLE mca_attestations (
    relationship_id INTEGER PRIMARY KEY REFERENCES relationship_requests (id),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    email           TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '', -- optional
    company_name    TEXT NOT NULL,
    agreement_url   TEXT NOT NULL,
    accepted_at     TEXT NOT NULL
);
