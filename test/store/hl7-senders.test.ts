import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hl7SenderStore } from '../../src/store/hl7-sender-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { emptyTestDatabase } from '../helpers/fresh-database.ts';

test('a sender registered after its facility was looked up and not found is found at once; known ones are reused', async () => {
  const { db, drop } = await emptyTestDatabase();
  try {
    await migrate(db);
    const serving = new Hl7SenderStore(db); // the message path's store
    const admin = new Hl7SenderStore(db); // another process registering senders (the CLI)
    assert.equal(await serving.byFacility('LATE-FAC'), undefined);
    assert.equal(await serving.authenticate('late-user', 'late-password-1'), undefined);
    await admin.add({ facilityId: 'LATE-FAC', organizationId: 'org-1', name: 'Late clinic', username: 'late-user', password: 'late-password-1' });
    assert.equal((await serving.byFacility('LATE-FAC'))?.organizationId, 'org-1', 'an unknown facility is never remembered');
    assert.equal((await serving.authenticate('late-user', 'late-password-1', 'LATE-FAC'))?.facilityId, 'LATE-FAC');
    assert.equal(await serving.authenticate('late-user', 'wrong-password'), undefined, 'a reused row still checks the password');
    assert.equal(await serving.authenticate('late-user', 'late-password-1', 'OTHER-FAC'), undefined, 'and the facility');

    // Known rows are reused: removed behind the store's back (there is no command for it), still served for a while.
    await db.query("DELETE FROM hl7_sender WHERE facility_id = 'LATE-FAC'");
    assert.equal((await serving.byFacility('LATE-FAC'))?.facilityId, 'LATE-FAC');
    assert.equal(await new Hl7SenderStore(db).byFacility('LATE-FAC'), undefined);
  } finally {
    await drop();
  }
});
