// Node has WebCrypto built in (fhirclient's browser build is the only user of this module).
module.exports = globalThis.crypto;
