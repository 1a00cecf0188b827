-- Customers by Microsoft ID (tenant id): applying a Partner Center export
-- refuses to create a customer whose tenant id another one holds, and gives
-- a customer matched by domain the export's tenant id only when no other
-- customer has it; both look customers up by tenant id.

-- +goose Up
CREATE INDEX customers_tenant ON customers (tenant_id);
