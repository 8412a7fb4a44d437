//! Things worth telling the user that are not errors (an earlier control id in a scope file),
//! each said once per process; the CLI prints them, the bindings raise language warnings.

use std::collections::BTreeSet;
use std::sync::Mutex;

static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
static PENDING: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Note that an earlier control id was used; said once per id.
pub(crate) fn renamed(old: &str, new: &str) {
    let first = SEEN
        .lock()
        .map(|mut s| s.insert(old.to_string()))
        .unwrap_or(false);
    if first {
        if let Ok(mut p) = PENDING.lock() {
            p.push(format!(
                "control id `{old}` was renamed to `{new}`; the old id still works, but update the file that uses it"
            ));
        }
    }
}

/// Tell the user something once per process (an input part the tool does not judge).
pub(crate) fn say(message: String) {
    let first = SEEN
        .lock()
        .map(|mut s| s.insert(message.clone()))
        .unwrap_or(false);
    if first {
        if let Ok(mut p) = PENDING.lock() {
            p.push(message);
        }
    }
}

/// The notices raised since the last call, oldest first.
pub fn take() -> Vec<String> {
    PENDING
        .lock()
        .map(|mut p| std::mem::take(&mut *p))
        .unwrap_or_default()
}
