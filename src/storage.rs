//! The app's one door to localStorage: `dockyard_course::storage` (the
//! table of keys, load, set-aside, save and the move from old names) over
//! the browser's storage. No other module touches localStorage.

use dockyard_course::storage::{self, Key, Load, Store};

/// The browser's localStorage, as a [`Store`].
struct Local;

fn local() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    window
        .local_storage()
        .map_err(|error| format!("{error:?}"))?
        .ok_or_else(|| "no localStorage".to_string())
}

impl Store for Local {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        local()?.get_item(key).map_err(|error| format!("{error:?}"))
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        local()?
            .set_item(key, value)
            .map_err(|error| format!("{error:?}"))
    }

    fn remove(&mut self, key: &str) {
        if let Ok(storage) = local() {
            let _ = storage.remove_item(key);
        }
    }
}

/// Moves work saved under earlier names to today's; run before anything loads.
pub fn migrate() {
    storage::migrate(&mut Local);
}

/// Reads `key` with `parse`; an unreadable value is set aside and said.
pub fn load<T, E: std::fmt::Display>(
    key: Key,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Load<T> {
    storage::load(&mut Local, key, parse)
}

/// Reads `key` as it is, setting nothing aside.
pub fn read(key: Key) -> Option<String> {
    storage::read(&Local, key)
}

pub fn save(key: Key, value: &str) -> Result<(), String> {
    storage::save(&mut Local, key, value)
}

pub fn forget(key: Key) {
    storage::forget(&mut Local, key);
}
