/**
 * HL7 v2 senders and the message log. Every inbound message is written before it is processed (CDC IG for HL7
 * 2.5.1 Immunization Messaging: the IIS must be able to account for every message it received), then completed
 * with its reply, the MSA-1 acknowledgement code, the ERR codes and the FHIR resources it touched. Numbered 005:
 * 004 belongs to the authorization server.
 */
export const sql = `
CREATE TABLE hl7_sender (
  facility_id text PRIMARY KEY,
  organization_id text NOT NULL,
  name text NOT NULL,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hl7_sender_org_idx ON hl7_sender (organization_id);

CREATE TABLE hl7_message (
  id text PRIMARY KEY,
  received_at timestamptz NOT NULL,
  processed_at timestamptz,
  transport text NOT NULL,
  sender_facility_id text,
  remote_address text,
  message_type text,
  profile text,
  control_id text,
  raw text NOT NULL,
  reply text,
  ack_code text,
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'failed')),
  error_codes text[] NOT NULL DEFAULT '{}',
  touched text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX hl7_message_received_idx ON hl7_message (received_at, id);
CREATE INDEX hl7_message_sender_idx ON hl7_message (sender_facility_id, received_at);
CREATE INDEX hl7_message_type_idx ON hl7_message (message_type, received_at);
CREATE INDEX hl7_message_ack_idx ON hl7_message (ack_code, received_at);
`;
