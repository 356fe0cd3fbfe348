// A fresh worker that runs one Argon2id derivation at the defaults, as the vault worker does at login.
import { coldArgonMs } from '../crypto-bench';

coldArgonMs().then((ms) => postMessage({ ms }));
