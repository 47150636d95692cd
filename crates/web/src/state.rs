//! The server's state: the connection pool and the writer, the catalog
//! (swapped whole when the data changes) and the cache of rendered pages.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::body::Bytes;
use verdict_fetch::{Addresses, Fetcher, Policy};
use verdict_store::{Database, Location, Store, StoreError};

use crate::catalog::Catalog;
use crate::pool::Pool;
use crate::{Config, Domain};

/// Shared by every handler (cheap to clone).
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub domain: Arc<dyn Domain>,
    pub config: Config,
    pool: Pool,
    writer: Mutex<Database>,
    /// A connection of its own that only asks whether anything was
    /// committed since it last asked.
    watcher: Mutex<Database>,
    catalog: RwLock<Arc<Catalog>>,
    refreshing: tokio::sync::Mutex<()>,
    /// Set by a write; cleared by the one task that brings the derived
    /// data up to date for every write before it.
    written: AtomicBool,
    after_writes: tokio::sync::Mutex<()>,
    cache: PageCache,
    pub fetcher: Fetcher,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Opens the database (creating it and bringing its schema up to date
    /// if needed) and builds the first catalog. Blocking.
    pub fn open(
        db: &Location,
        config: Config,
        domain: Arc<dyn Domain>,
    ) -> Result<AppState, StoreError> {
        let writer = Database::open(db, true)?;
        let watcher = Database::open_reader(db)?;
        let pool = Pool::open(db, config.readers)?;
        let version = watcher.data_version()?;
        let catalog = Catalog::build(&*pool.get(), 1, version)?;
        let mut policy = Policy::server();
        policy.timeout = config.fetch_timeout;
        if config.fetch_loopback_only {
            policy.addresses = Addresses::LoopbackOnly;
        } else if !config.fetch_allow_hosts.is_empty() {
            policy.addresses = Addresses::PublicOnly {
                allow_hosts: config.fetch_allow_hosts.clone(),
            };
        }
        Ok(AppState(Arc::new(Inner {
            cache: PageCache::new(config.cache_bytes),
            domain,
            pool,
            writer: Mutex::new(writer),
            watcher: Mutex::new(watcher),
            catalog: RwLock::new(Arc::new(catalog)),
            refreshing: tokio::sync::Mutex::new(()),
            written: AtomicBool::new(false),
            after_writes: tokio::sync::Mutex::new(()),
            fetcher: Fetcher::new(policy),
            config,
        })))
    }

    /// The catalog of the current data version.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Runs `f` with a read connection on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store, &AppState) -> T + Send + 'static,
    {
        let state = self.clone();
        Ok(tokio::task::spawn_blocking(move || {
            let conn = state.pool.get();
            f(&*conn, &state)
        })
        .await?)
    }

    /// Runs `f` with the writer connection on the blocking pool.
    pub async fn write<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store, &AppState) -> T + Send + 'static,
    {
        let state = self.clone();
        Ok(tokio::task::spawn_blocking(move || {
            let mut writer = state.writer.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut *writer, &state)
        })
        .await?)
    }

    /// Rebuilds the catalog if anything was committed to the database
    /// since the current one was built (by this server's writer or by
    /// another process). One build at a time; a caller that waited for
    /// another's build finds it current and returns.
    pub async fn refresh(&self) -> anyhow::Result<bool> {
        let _one_at_a_time = self.refreshing.lock().await;
        let current = self.catalog();
        let rebuilt = self
            .read(move |store, state| -> Result<Option<Catalog>, StoreError> {
                let version = state
                    .watcher
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .data_version()?;
                if version == current.data_version {
                    return Ok(None);
                }
                Catalog::build(store, current.generation + 1, version).map(Some)
            })
            .await??;
        let Some(catalog) = rebuilt else {
            return Ok(false);
        };
        *self.catalog.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(catalog);
        Ok(true)
    }

    /// After a write: brings the derived data up to date
    /// (the cached cross-film statistics, then the catalog) in a task of its own,
    /// and waits for it at most `patience`; it goes on in the background
    /// after that. Writes that come while it runs are all covered by one
    /// more round.
    pub async fn written(&self, patience: Duration) {
        self.written.store(true, Ordering::SeqCst);
        let state = self.clone();
        let task = tokio::spawn(async move {
            let _one_at_a_time = state.after_writes.lock().await;
            if !state.written.swap(false, Ordering::SeqCst) {
                return;
            }
            match state
                .write(|store, _| verdict_present::refresh_stats(store).map(|_| ()))
                .await
            {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!("after a write: {e}"),
                Err(e) => tracing::error!("after a write: {e:#}"),
            }
            if let Err(e) = state.refresh().await {
                tracing::error!("cannot refresh the catalog: {e:#}");
            }
        });
        let _ = tokio::time::timeout(patience, task).await;
    }

    pub fn cached(&self, key: &str, generation: u64) -> Option<Cached> {
        self.cache.get(key, generation)
    }

    pub fn cache(&self, key: String, page: Cached) {
        self.cache.put(key, page)
    }

    /// Drops the cached pages whose keys start with one of `prefixes`.
    pub fn forget(&self, prefixes: &[String]) {
        self.cache.forget(prefixes)
    }
}

/// A rendered response body, valid for one catalog generation; with its
/// gzip encoding when that is smaller.
#[derive(Clone)]
pub struct Cached {
    pub generation: u64,
    pub body: Bytes,
    pub gzip: Option<Bytes>,
    pub content_type: &'static str,
}

impl Cached {
    pub fn new(generation: u64, content_type: &'static str, body: Bytes) -> Cached {
        let gzip = (body.len() >= 1024).then(|| gzip(&body)).flatten();
        Cached {
            generation,
            body,
            gzip,
            content_type,
        }
    }

    fn size(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(6),
    );
    enc.write_all(body).ok()?;
    let out = enc.finish().ok()?;
    (out.len() < body.len()).then(|| out.into())
}

/// Rendered pages and API answers by key, each stamped with the catalog
/// generation it was rendered under; another stamp is a miss. Bounded in
/// bytes: when full it is emptied.
pub struct PageCache {
    max_bytes: usize,
    inner: Mutex<(HashMap<String, Cached>, usize)>,
}

impl PageCache {
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache {
            max_bytes,
            inner: Mutex::new((HashMap::new(), 0)),
        }
    }

    pub fn get(&self, key: &str, generation: u64) -> Option<Cached> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner
            .0
            .get(key)
            .filter(|c| c.generation == generation)
            .cloned()
    }

    pub fn put(&self, key: String, page: Cached) {
        let size = page.size();
        if size > self.max_bytes / 4 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (map, bytes) = &mut *inner;
        if *bytes + size > self.max_bytes {
            map.clear();
            *bytes = 0;
        }
        *bytes += size;
        if let Some(old) = map.insert(key, page) {
            *bytes -= old.size();
        }
    }

    pub fn forget(&self, prefixes: &[String]) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let (map, bytes) = &mut *inner;
        map.retain(|k, v| {
            let keep = !prefixes.iter().any(|p| k.starts_with(p.as_str()));
            if !keep {
                *bytes -= v.size();
            }
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(generation: u64, n: usize) -> Cached {
        Cached::new(generation, "text/plain", Bytes::from(vec![b'a'; n]))
    }

    #[test]
    fn pages_of_another_generation_are_misses() {
        let cache = PageCache::new(1 << 20);
        cache.put("film/1/1".into(), page(3, 10));
        assert!(cache.get("film/1/1", 3).is_some());
        assert!(cache.get("film/1/1", 4).is_none());
        assert!(cache.get("film/2/1", 3).is_none());
    }

    #[test]
    fn the_cache_stays_within_its_bytes_and_forgets_by_prefix() {
        let cache = PageCache::new(10_000);
        for i in 0..100 {
            cache.put(format!("film/{i}/1"), page(1, 500));
            let bytes = cache.inner.lock().unwrap().1;
            assert!(bytes <= 10_000, "{bytes}");
        }
        cache.put("film/7/1".into(), page(1, 100));
        cache.put("film/70/1".into(), page(1, 100));
        cache.forget(&["film/7/".to_string()]);
        assert!(cache.get("film/7/1", 1).is_none());
        assert!(cache.get("film/70/1", 1).is_some());
        let (map, bytes) = &*cache.inner.lock().unwrap();
        assert_eq!(*bytes, map.values().map(Cached::size).sum::<usize>());
    }

    #[test]
    fn large_pages_are_kept_gzipped_too() {
        let p = page(1, 5000);
        let z = p.gzip.as_ref().expect("gzipped");
        assert!(z.len() < 200, "{}", z.len());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&z[..]), &mut out).unwrap();
        assert_eq!(out, p.body);
        assert!(page(1, 100).gzip.is_none(), "small pages are not worth it");
    }
}
