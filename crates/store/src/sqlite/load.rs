//! A new database built by one bulk load.
//!
//! `verdict import` into a database that does not exist yet builds it at a
//! temporary file beside the one asked for (`NAME.loading-PID`), with the
//! rollback journal in memory and no syncs: every page is written once, to
//! the file, instead of once to the WAL and again to the file at each
//! checkpoint (a quarter of a million-row import's time). Nobody can open
//! that file meanwhile, so nobody sees a half-built database; when the
//! load is done the file is switched to WAL, synced, and put in place under
//! its real name in one step that never replaces a file (a hard link, then
//! the temporary name removed).
//!
//! If the load fails, the temporary file is removed and the database asked
//! for never appears. If the process is killed, the temporary file stays
//! (its name says what it is) and the database asked for does not exist;
//! the next load of the same database removes it, once the process its
//! name gives is gone (where that can be told: Linux) and the file has not
//! changed for an hour (a load of another PID namespace — a container
//! sharing the folder — writes on), and says so
//! ([`NewDatabase::removed_leftovers`]).

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{Journal, SqliteStore};
use crate::{Result, StoreError};

/// A database being built by one bulk load; [`NewDatabase::finish`] puts
/// it in place.
#[derive(Debug)]
pub struct NewDatabase {
    /// `None` once finished.
    store: Option<SqliteStore>,
    target: PathBuf,
    temp: PathBuf,
    /// Killed loads' temporary files removed when this one began.
    removed: Vec<PathBuf>,
}

impl NewDatabase {
    /// Starts building the database `target` from nothing, or `None` when a
    /// file (or anything else) is already there: open that one with
    /// [`SqliteStore::open`].
    pub fn create(target: &Path) -> Result<Option<NewDatabase>> {
        let open_err = |reason: String| StoreError::Open {
            path: target.to_path_buf(),
            reason,
        };
        match fs::symlink_metadata(target) {
            Ok(_) => return Ok(None),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(open_err(e.to_string())),
        }
        let Some(name) = target.file_name() else {
            return Err(open_err("it names no file".into()));
        };
        super::create_parent(target)?;
        let mut temp_name = name.to_os_string();
        temp_name.push(format!(".loading-{}", std::process::id()));
        let temp = target.with_file_name(temp_name);
        // A file of this name is a killed load's of a process with the same
        // id: nobody else can be writing it.
        remove_quietly(&temp);
        let removed = remove_leftovers(target);
        // Dropped on any error below: the temporary file goes with it.
        let mut building = NewDatabase {
            store: None,
            target: target.to_path_buf(),
            temp: temp.clone(),
            removed,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&temp, flags).map_err(|e| {
            open_err(format!(
                "cannot create the file it is built in, {}: {e}",
                temp.display()
            ))
        })?;
        let store = building.store.insert(SqliteStore {
            conn,
            path: temp,
            journal: Journal::Load,
        });
        store.init()?;
        Ok(Some(building))
    }

    /// The store being built.
    pub fn store(&mut self) -> &mut SqliteStore {
        self.store.as_mut().expect("a database not yet finished")
    }

    /// Where the database will be once finished.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary file it is built in.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// The temporary files of earlier loads of the same database, left by
    /// processes that no longer run (killed), removed when this one began.
    pub fn removed_leftovers(&self) -> &[PathBuf] {
        &self.removed
    }

    /// Puts the database in place under its real name, in WAL mode like
    /// every other, and opens it there.
    ///
    /// Fails without replacing anything when a file of that name appeared
    /// meanwhile (another process created the database): the load is then
    /// kept in its temporary file, which the error names.
    pub fn finish(mut self) -> Result<SqliteStore> {
        let mut store = self.store.take().expect("finished once");
        let temp = self.temp.clone();
        let backend = |e: rusqlite::Error| super::backend(&temp, e);
        store.journal = Journal::Wal;
        let mode: String = store
            .conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(backend)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open {
                path: temp.clone(),
                reason: format!("cannot switch to WAL journal mode (got {mode})"),
            });
        }
        // Closing the last connection checkpoints the WAL into the file and
        // removes it; then the file alone is the database.
        store.conn.close().map_err(|(_, e)| backend(e))?;
        let io = |doing: &str, e: std::io::Error| StoreError::Open {
            path: self.target.clone(),
            reason: format!("{doing} {}: {e}", temp.display()),
        };
        fs::File::open(&temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("cannot sync", e))?;
        match fs::hard_link(&temp, &self.target) {
            Ok(()) => remove_quietly(&temp),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                let kept = std::mem::take(&mut self.temp);
                return Err(StoreError::Open {
                    path: self.target.clone(),
                    reason: format!(
                        "it was created by another process while this import ran; the imported \
                         database is kept in {} (import again into {} to add the rows to it)",
                        kept.display(),
                        self.target.display()
                    ),
                });
            }
            // A file system without hard links: a rename, which the check
            // just before keeps from replacing a database created since the
            // load began (short of one created in between).
            Err(_) => {
                if fs::symlink_metadata(&self.target).is_ok() {
                    let kept = std::mem::take(&mut self.temp);
                    return Err(StoreError::Open {
                        path: self.target.clone(),
                        reason: format!(
                            "it was created by another process while this import ran; the \
                             imported database is kept in {}",
                            kept.display()
                        ),
                    });
                }
                fs::rename(&temp, &self.target).map_err(|e| io("cannot rename", e))?;
            }
        }
        self.temp = PathBuf::new();
        if let Some(dir) = self.target.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The new name survives a power cut once its directory is synced
            // (not every platform can open a directory to sync it).
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        SqliteStore::open(&self.target)
    }
}

impl Drop for NewDatabase {
    /// An unfinished load leaves nothing behind.
    fn drop(&mut self) {
        drop(self.store.take());
        if !self.temp.as_os_str().is_empty() {
            remove_quietly(&self.temp);
        }
    }
}

/// How long a load's temporary file must have been left unchanged before
/// another load takes it for a killed one's.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporary files beside `target` of loads whose process is
/// gone (`NAME.loading-PID`, PID no longer running, file unchanged for
/// [`LEFTOVER_AGE`]), and gives their names. A load still running is never
/// touched, nor one whose process cannot be told gone (a PID used again
/// since is taken for the load's own), nor a file written lately (the PID
/// may be another namespace's).
fn remove_leftovers(target: &Path) -> Vec<PathBuf> {
    let (Some(name), Some(dir)) = (target.file_name(), target.parent()) else {
        return Vec::new();
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut prefix = name.to_os_string();
    prefix.push(".loading-");
    let prefix = prefix.as_encoded_bytes();
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(pid) = file
            .as_encoded_bytes()
            .strip_prefix(prefix)
            .and_then(|rest| std::str::from_utf8(rest).ok())
            .and_then(|rest| rest.parse::<u32>().ok())
        else {
            continue;
        };
        let unchanged = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= LEFTOVER_AGE);
        if pid != std::process::id() && unchanged && process_is_gone(pid) {
            let path = target.with_file_name(&file);
            remove_quietly(&path);
            if fs::symlink_metadata(&path).is_err() {
                removed.push(path);
            }
        }
    }
    removed.sort();
    removed
}

/// Whether no process of this id runs (known on Linux only: elsewhere a
/// process is never taken for gone).
fn process_is_gone(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes a database file and the files SQLite may keep beside it.
fn remove_quietly(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}
