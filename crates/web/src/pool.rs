//! A small pool of database connections for the blocking thread pool.
//!
//! `rusqlite` connections are synchronous and not shared between threads,
//! so each read takes a connection from the pool inside
//! `tokio::task::spawn_blocking` and gives it back when done; writes go
//! through one writer connection of their own. SQLite's WAL mode lets the
//! readers go on while the writer writes.

use std::ops::Deref;
use std::sync::{Condvar, Mutex, PoisonError};

use verdict_store::{Database, Location, StoreError};

pub struct Pool {
    free: Mutex<Vec<Database>>,
    returned: Condvar,
    size: usize,
}

impl Pool {
    /// Opens `size` reading connections to the database at `location`
    /// (which must exist at the current schema version).
    pub fn open(location: &Location, size: usize) -> Result<Pool, StoreError> {
        let size = size.max(1);
        let conns = (0..size)
            .map(|_| Database::open_reader(location))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pool {
            free: Mutex::new(conns),
            returned: Condvar::new(),
            size,
        })
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// A connection, waiting for one to be given back when all are in use.
    /// Blocks: call from a blocking thread.
    pub fn get(&self) -> Conn<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(store) = free.pop() {
                return Conn {
                    pool: self,
                    store: Some(store),
                };
            }
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// A connection on loan; goes back to the pool when dropped.
pub struct Conn<'a> {
    pool: &'a Pool,
    store: Option<Database>,
}

impl Deref for Conn<'_> {
    type Target = Database;
    fn deref(&self) -> &Database {
        self.store
            .as_ref()
            .expect("connection present until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            self.pool
                .free
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(store);
            self.pool.returned.notify_one();
        }
    }
}
