//! The bulk path: exports and catalogues into the store, a million rows at
//! a time, with memory that stays flat.
//!
//! ```text
//! reader ──chunks──▶ workers (rating + judge + hash, one per core) ──▶ resolver ──batches──▶ writer
//! (1 thread:          bounded queue                        (this thread: films   bounded    (1 thread: one
//!  parse, learn                                             by id or title,       queue      transaction per
//!  scales)                                                  in memory)                       batch)
//! ```
//!
//! Rows are resolved to films through an in-memory [`FilmIndex`] (external
//! ids first, then title keys and year), never one query per row. Films a
//! batch creates get provisional negative ids, which the writer maps to
//! the real ones. Chunks come back from the workers in any order and are
//! put back in file order before resolution, so an import is
//! deterministic. After the rows: films are matched to the catalogue and
//! the cross-film statistics are rebuilt.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use verdict_core::Diagnostic;
use verdict_core::title::title_key;
use verdict_import::{
    BadRow, CatalogueItem, FilmInfo, Item, Plan, Processor, Progress, RawRow, Unit,
};
use verdict_resolve::{
    CatalogueCandidate, CatalogueMatch, Evidence, FilmChoice, FilmIndex, Unresolved,
};
use verdict_store::{
    Alias, BatchOutcome, CatalogueDecision, CatalogueEntry, CatalogueTitle, ExternalId, FilmRef,
    FilmUpdate, ImportBatch, ImportedReview, NewFilm, StatLine, StatLines, Store, StoreError,
};

/// How an import runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Threads reading ratings and judging texts (default: one per core).
    pub workers: usize,
    /// Rows per chunk handed to a worker.
    pub chunk_rows: usize,
    /// Reviews per transaction…
    pub batch_rows: usize,
    /// …or fewer, when their texts add up to this many bytes (long
    /// Letterboxd reviews), so that memory stays flat.
    pub batch_bytes: usize,
    /// The run every review written belongs to ([`Store::begin_run`]).
    pub run: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            chunk_rows: 1024,
            batch_rows: 10_000,
            batch_bytes: 8 << 20,
            run: None,
        }
    }
}

/// Something worth telling while importing.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A row that could not be read (file and line).
    Bad(BadRow),
    /// A note about a file or a film.
    Note(String),
    /// A row read but not stored: no film could be chosen for it.
    Unmatched { source: String, reason: String },
    /// A row the database refused.
    Rejected { source: String, reason: String },
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Bad(b) => write!(f, "bad row: {b}"),
            Event::Note(n) => write!(f, "note: {n}"),
            Event::Unmatched { source, reason } => {
                write!(f, "unmatched: {source}: {reason}; not stored")
            }
            Event::Rejected { source, reason } => write!(f, "rejected: {source}: {reason}"),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Report {
    /// The run its reviews belong to ([`Options::run`]).
    pub run: Option<i64>,
    /// Review rows read (good ones).
    pub rows: u64,
    pub inserted: u64,
    /// Rows already stored (same identity): skipped.
    pub duplicates: u64,
    pub bad_rows: u64,
    pub unmatched: u64,
    pub rejected: u64,
    pub films_created: u64,
    /// Films known before the import that its rows were found to be about.
    pub films_matched: u64,
    /// Rows carrying the source's own verdict, and how many of those our
    /// reading (rating and text, label hidden) agrees with.
    pub labelled: u64,
    pub label_agreement: u64,
    pub catalogue_inserted: u64,
    pub catalogue_unchanged: u64,
    pub catalogue: Option<LinkReport>,
    pub seconds: f64,
    /// Where the time went.
    pub stages: Stages,
}

/// Where an import's time went, in seconds: the CPU time of each stage's
/// threads while the rows stream (where the system reports it: Linux;
/// else 0), and the wall time of each phase.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Stages {
    /// The reader: files parsed into rows, scales learnt.
    pub read_cpu: f64,
    /// The workers together: ratings read, texts judged, identities hashed.
    pub judge_cpu: f64,
    /// The resolver: rows put back in order, films chosen.
    pub resolve_cpu: f64,
    /// The writer: batches written to the database.
    pub write_cpu: f64,
    /// The rows, from the first read to the last batch written.
    pub rows_wall: f64,
    /// Films matched to the catalogue.
    pub catalogue_wall: f64,
    /// The cross-film statistics brought up to date.
    pub stats_wall: f64,
    /// Whether they were computed from the rows as they were written (an
    /// import into an empty table, every row stored), not by reading the
    /// table again.
    pub stats_from_rows: bool,
}

/// CPU time of the calling thread, zero where the system does not report
/// it.
fn thread_cpu() -> Duration {
    verdict_core::cpu::thread_time().unwrap_or(Duration::ZERO)
}

/// What matching films to the catalogue decided.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct LinkReport {
    pub matched: u64,
    pub ambiguous: u64,
    pub not_found: u64,
}

/// A progress report, after each chunk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tick {
    /// Bytes of the inputs read so far.
    pub bytes: u64,
    pub rows: u64,
}

/// Ids below zero are films a batch creates; the writer maps them.
type Handle = i64;

struct Chunk<T> {
    seq: u64,
    rows: Vec<T>,
    events: Vec<Event>,
}

/// The films, film changes and reviews of one transaction, with
/// provisional ids.
#[derive(Default)]
struct Pending {
    films: Vec<(Handle, NewFilm)>,
    updates: Vec<(Handle, Option<i32>, Vec<Alias>)>,
    links: Vec<(Handle, ExternalId)>,
    /// Each review's film as a provisional [`FilmRef::Stored`] handle,
    /// made real in place by the writer.
    reviews: Vec<(FilmRef, ImportedReview)>,
}

/// The writer's totals.
#[derive(Default)]
struct Written {
    inserted: u64,
    duplicates: u64,
    rejected: Vec<Event>,
    /// What the cross-film statistics read of every row written, while
    /// the rows are all the table holds; `None` otherwise.
    lines: Option<StatLines>,
}

/// The most statistics' lines an import keeps while it writes (24 bytes
/// each); beyond, the statistics read the table.
const GATHERED_LINES: usize = 4_000_000;

/// What stops an import. A bad, unmatched or refused row never does: it is
/// reported as an [`Event`] and the import goes on.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A unit of files cannot be read as asked.
    #[error(transparent)]
    Input(#[from] verdict_import::ImportError),
    /// A thread of the import cannot be started.
    #[error("cannot start the {thread} thread: {source}")]
    Thread {
        thread: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The writer thread panicked.
    #[error("the database writer stopped unexpectedly")]
    WriterStopped,
}

/// Imports every unit of `plan`: catalogues first (so that the films the
/// reviews bring can be matched), then the reviews. Bad rows, unmatched and
/// refused rows are reported through `event` and the import goes on; an
/// error of the store itself stops it.
pub fn import<S: Store + Send>(
    store: &mut S,
    plan: &Plan,
    options: &Options,
    event: &mut dyn FnMut(Event),
    tick: &mut dyn FnMut(Tick),
) -> Result<Report, BulkError> {
    let started = Instant::now();
    let progress = Progress::default();
    let mut report = Report {
        run: options.run,
        ..Report::default()
    };
    let mut catalogue_changed = false;
    for unit in plan.units.iter().filter(|u| u.is_catalogue()) {
        let (inserted, unchanged) = import_catalogue(store, unit, &progress, event, tick)?;
        report.catalogue_inserted += inserted;
        report.catalogue_unchanged += unchanged;
        catalogue_changed |= inserted > 0;
    }
    let review_units: Vec<Unit> = plan
        .units
        .iter()
        .filter(|u| !u.is_catalogue())
        .cloned()
        .collect();
    let mut lines = None;
    if !review_units.is_empty() {
        import_reviews(
            store,
            review_units,
            options,
            &progress,
            event,
            tick,
            &mut report,
            &mut lines,
        )?;
    }
    let phase = Instant::now();
    if store.catalogue_count()? > 0 {
        report.catalogue = Some(link_catalogue(store, catalogue_changed)?);
    }
    report.stages.catalogue_wall = phase.elapsed().as_secs_f64();
    let phase = Instant::now();
    if report.inserted > 0 {
        let snapshot = verdict_present::refresh_stats_from(store, lines)?;
        report.stages.stats_from_rows = snapshot.1;
    }
    report.stages.stats_wall = phase.elapsed().as_secs_f64();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn import_catalogue<S: Store>(
    store: &mut S,
    unit: &Unit,
    progress: &Progress,
    event: &mut dyn FnMut(Event),
    tick: &mut dyn FnMut(Tick),
) -> Result<(u64, u64), BulkError> {
    let rows = verdict_import::catalogue(unit, progress)?;
    let (mut inserted, mut unchanged, mut n) = (0u64, 0u64, 0u64);
    let mut batch: Vec<CatalogueEntry> = Vec::with_capacity(10_000);
    let mut flush = |batch: &mut Vec<CatalogueEntry>, store: &mut S| -> Result<(), BulkError> {
        let w = store.put_catalogue(batch)?;
        inserted += w.inserted as u64;
        unchanged += w.unchanged as u64;
        batch.clear();
        Ok(())
    };
    for item in rows {
        match item {
            CatalogueItem::Bad(b) => event(Event::Bad(b)),
            CatalogueItem::Entry(e) => {
                n += 1;
                batch.push(CatalogueEntry {
                    id: 0,
                    source: e.source.to_string(),
                    external_id: e.external_id,
                    title: e.title,
                    year: e.year,
                    imdb_id: e.imdb_id,
                    titles: e
                        .titles
                        .into_iter()
                        .map(|(title, kind)| CatalogueTitle {
                            key: title_key(&title),
                            title,
                            kind,
                        })
                        .collect(),
                });
                if batch.len() >= 10_000 {
                    flush(&mut batch, store)?;
                    tick(Tick {
                        bytes: progress.load(Ordering::Relaxed),
                        rows: n,
                    });
                }
            }
        }
    }
    flush(&mut batch, store)?;
    tick(Tick {
        bytes: progress.load(Ordering::Relaxed),
        rows: n,
    });
    Ok((inserted, unchanged))
}

/// Reads every unit's rows in order, in chunks; returns the thread's CPU
/// time.
fn read_units(
    units: Vec<Unit>,
    progress: Progress,
    chunk_rows: usize,
    work: SyncSender<Chunk<RawRow>>,
    stop: Arc<AtomicBool>,
) -> Duration {
    send_chunks(units, progress, chunk_rows, work, stop);
    thread_cpu()
}

fn send_chunks(
    units: Vec<Unit>,
    progress: Progress,
    chunk_rows: usize,
    work: SyncSender<Chunk<RawRow>>,
    stop: Arc<AtomicBool>,
) {
    let mut seq = 0;
    let mut chunk = Chunk {
        seq,
        rows: Vec::with_capacity(chunk_rows),
        events: Vec::new(),
    };
    for unit in &units {
        let rows = match verdict_import::reviews(unit, &progress) {
            Ok(rows) => rows,
            Err(e) => {
                chunk.events.push(Event::Bad(BadRow {
                    origin: verdict_import::origin_of(unit),
                    line: 0,
                    reason: e.to_string(),
                }));
                continue;
            }
        };
        for item in rows {
            match item {
                Item::Row(r) => chunk.rows.push(*r),
                Item::Bad(b) => chunk.events.push(Event::Bad(b)),
                Item::Note(n) => chunk.events.push(Event::Note(n)),
            }
            if chunk.rows.len() >= chunk_rows || chunk.events.len() >= chunk_rows {
                seq += 1;
                let full = std::mem::replace(
                    &mut chunk,
                    Chunk {
                        seq,
                        rows: Vec::with_capacity(chunk_rows),
                        events: Vec::new(),
                    },
                );
                if work.send(full).is_err() || stop.load(Ordering::Relaxed) {
                    return;
                }
            }
        }
    }
    let _ = work.send(chunk);
}

/// A row ready to be resolved and written: its film as the export gives
/// it, and the review as it will be stored.
type Ready = (Arc<FilmInfo>, ImportedReview);

/// A worker: reads ratings, judges texts and hashes identities, a chunk at
/// a time, and puts the rows in the form the store writes (so the writer
/// does nothing but write); returns the thread's CPU time.
fn process_chunks(
    work: Arc<Mutex<Receiver<Chunk<RawRow>>>>,
    done: SyncSender<Chunk<Ready>>,
    processor: Processor,
) -> Duration {
    loop {
        let next = match work.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => break,
        };
        let Ok(chunk) = next else { break };
        let rows = chunk
            .rows
            .into_iter()
            .map(|r| {
                let imported = processor.process(r);
                (imported.film, imported.review)
            })
            .collect();
        if done
            .send(Chunk {
                seq: chunk.seq,
                rows,
                events: chunk.events,
            })
            .is_err()
        {
            break;
        }
    }
    thread_cpu()
}

/// Turns provisional film ids into references the store understands, and
/// writes.
fn write_pending<S: Store>(
    store: &mut S,
    pending: Pending,
    real: &mut HashMap<Handle, i64>,
    written: &mut Written,
    run: Option<i64>,
) -> Result<(), StoreError> {
    let mut batch = ImportBatch {
        run,
        ..ImportBatch::default()
    };
    let mut local: HashMap<Handle, usize> = HashMap::new();
    for (handle, film) in pending.films {
        local.insert(handle, batch.films.len());
        batch.films.push(film);
    }
    let film_ref = |h: Handle, real: &HashMap<Handle, i64>| -> FilmRef {
        if h > 0 {
            FilmRef::Stored(h)
        } else if let Some(i) = local.get(&h) {
            FilmRef::New(*i)
        } else {
            FilmRef::Stored(real.get(&h).copied().unwrap_or(h))
        }
    };
    for (h, year, new_aliases) in pending.updates {
        match film_ref(h, real) {
            FilmRef::New(i) => {
                let f = &mut batch.films[i];
                if year.is_some() {
                    f.year = year;
                }
                for a in new_aliases {
                    if a.key != f.title_key && !f.aliases.iter().any(|x| x.key == a.key) {
                        f.aliases.push(a);
                    }
                }
            }
            FilmRef::Stored(film_id) => batch.updates.push(FilmUpdate {
                film_id,
                year,
                new_aliases,
            }),
        }
    }
    batch.links = pending
        .links
        .into_iter()
        .map(|(h, x)| (film_ref(h, real), x))
        .collect();
    batch.reviews = pending.reviews;
    for (film, _) in &mut batch.reviews {
        if let FilmRef::Stored(h) = *film {
            *film = film_ref(h, real);
        }
    }
    let BatchOutcome {
        film_ids,
        inserted,
        duplicates,
        rejected,
    } = store.write_batch(&batch)?;
    for (handle, i) in local {
        if let Some(id) = film_ids.get(i) {
            real.insert(handle, *id);
        }
    }
    // The statistics' lines, while every row is written (a row skipped or
    // refused: the table is read once the import is done).
    if let Some(lines) = &mut written.lines {
        let all_written =
            inserted == batch.reviews.len() && lines.len() + inserted <= GATHERED_LINES;
        for (film, r) in batch.reviews.iter().take_while(|_| all_written) {
            let film_id = match *film {
                FilmRef::Stored(id) => Some(id),
                FilmRef::New(i) => film_ids.get(i).copied(),
            };
            // (A written row's film is always known: `write_batch` resolved it.)
            let Some(film_id) = film_id else { break };
            lines.push(&StatLine {
                film_id,
                score: r.assessment.score,
                inferred: r.assessment.inferred,
                critic: r.critic.as_deref(),
            });
        }
        if !all_written || lines.len() as u64 != written.inserted + inserted as u64 {
            written.lines = None;
        }
    }
    written.inserted += inserted as u64;
    written.duplicates += duplicates as u64;
    for (i, reason) in rejected {
        written.rejected.push(Event::Rejected {
            source: batch.reviews[i].1.source.clone(),
            reason,
        });
    }
    Ok(())
}

/// Films by external id and title, deciding which film each row is about.
struct Resolver {
    index: FilmIndex,
    /// Films already decided for a shared [`FilmInfo`] (rows of one film
    /// share one), by its address; the `Arc` keeps the address taken.
    decided: HashMap<usize, (Arc<FilmInfo>, Handle)>,
    next_handle: Handle,
    created: u64,
    /// Films known before the import that rows were found to be about.
    matched: std::collections::HashSet<i64>,
}

impl Resolver {
    fn new<S: Store>(store: &S) -> Result<Resolver, BulkError> {
        let mut index = FilmIndex::new();
        for f in store.film_index()? {
            index.insert(f.record.film, &f.external_ids);
        }
        Ok(Resolver {
            index,
            decided: HashMap::new(),
            next_handle: -1,
            created: 0,
            matched: Default::default(),
        })
    }

    fn new_film(
        &mut self,
        title: &str,
        year: Option<i32>,
        aliases: Vec<Alias>,
        pending: &mut Pending,
    ) -> Handle {
        let handle = self.next_handle;
        self.next_handle -= 1;
        let choice = FilmChoice::New {
            title: title.to_string(),
            title_key: title_key(title),
            year,
            aliases,
        };
        self.index.apply(&choice, handle);
        if let FilmChoice::New {
            title,
            title_key,
            year,
            aliases,
        } = choice
        {
            pending.films.push((
                handle,
                NewFilm {
                    title,
                    title_key,
                    year,
                    aliases,
                },
            ));
        }
        self.created += 1;
        handle
    }

    /// The film of a row: `Err(reason)` when none can be chosen.
    fn film_of(
        &mut self,
        info: &Arc<FilmInfo>,
        pending: &mut Pending,
        events: &mut dyn FnMut(Event),
    ) -> Result<Handle, String> {
        let addr = Arc::as_ptr(info) as usize;
        if let Some((_, h)) = self.decided.get(&addr) {
            return Ok(*h);
        }
        let handle = self.decide(info, pending, events)?;
        if info.external_id.is_some() {
            self.decided.insert(addr, (info.clone(), handle));
        }
        Ok(handle)
    }

    fn decide(
        &mut self,
        info: &FilmInfo,
        pending: &mut Pending,
        events: &mut dyn FnMut(Event),
    ) -> Result<Handle, String> {
        let mut notes: Vec<Diagnostic> = Vec::new();
        let external = info.source.zip(info.external_id.as_deref());
        if let Some((source, id)) = external
            && let Some(film) = self.index.find_external(source, id)
        {
            return Ok(film);
        }
        let link = |method: String, confidence: f64| ExternalId {
            source: info.source.unwrap_or_default().to_string(),
            external_id: info.external_id.clone().unwrap_or_default(),
            published_percent: info.published_percent,
            published_count: info.published_count,
            method,
            confidence,
        };
        let Some(title) = info.title.as_deref() else {
            // Known only by its id: its own film.
            let title = info.display_title();
            let h = self.new_film(&title, info.year, Vec::new(), pending);
            if let Some((source, id)) = external {
                self.index.add_external(h, source, id);
                pending.links.push((h, link("new film".into(), 1.0)));
            }
            return Ok(h);
        };
        let evidence = Evidence {
            title,
            year: info.year,
            aliases: &info.aliases,
            source: info.source,
        };
        let handle = match self.index.resolve(&evidence, &mut notes) {
            Ok(FilmChoice::Existing {
                id: film_id,
                year,
                new_aliases,
            }) => {
                let (confidence, method) = self
                    .index
                    .film(film_id)
                    .map(|f| verdict_resolve::match_confidence(f, title, info.year))
                    .unwrap_or((1.0, "title".into()));
                if year.is_some() || !new_aliases.is_empty() {
                    pending.updates.push((film_id, year, new_aliases.clone()));
                }
                self.index.update(film_id, year, &new_aliases);
                if let Some((source, id)) = external {
                    self.index.add_external(film_id, source, id);
                    pending.links.push((film_id, link(method, confidence)));
                }
                if film_id > 0 {
                    self.matched.insert(film_id);
                }
                film_id
            }
            Ok(FilmChoice::New { year, aliases, .. }) => {
                // A films file's title is the film's, as written (the
                // resolver title-cases titles written in capitals).
                let h = self.new_film(title, year, aliases, pending);
                if let Some((source, id)) = external {
                    self.index.add_external(h, source, id);
                    pending.links.push((h, link("new film".into(), 1.0)));
                }
                h
            }
            Err(Unresolved { reason }) => {
                let Some((source, id)) = external else {
                    return Err(reason);
                };
                // The export's own id makes it a film of its own: kept
                // apart rather than merged, and said.
                events(Event::Note(format!(
                    "film {source}:{id}: {reason}; kept as a film of its own"
                )));
                let h = self.new_film(title, info.year, Vec::new(), pending);
                self.index.add_external(h, source, id);
                pending
                    .links
                    .push((h, link(format!("kept apart: {reason}"), 1.0)));
                h
            }
        };
        Ok(handle)
    }
}

#[allow(clippy::too_many_arguments)]
fn import_reviews<S: Store + Send>(
    store: &mut S,
    units: Vec<Unit>,
    options: &Options,
    progress: &Progress,
    event: &mut dyn FnMut(Event),
    tick: &mut dyn FnMut(Tick),
    report: &mut Report,
    lines: &mut Option<StatLines>,
) -> Result<(), BulkError> {
    let workers = options.workers.max(1);
    let mut resolver = Resolver::new(store)?;
    // Into an empty table, the rows written are all the statistics read.
    let gather = store.review_state()?.reviews == 0;
    let processor = Processor::embedded();
    let stop = Arc::new(AtomicBool::new(false));
    let (work_tx, work_rx) = sync_channel::<Chunk<RawRow>>(2 * workers);
    let (done_tx, done_rx) = sync_channel::<Chunk<Ready>>(2 * workers);
    let (batch_tx, batch_rx) = sync_channel::<Pending>(1);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let started = Instant::now();
    let cpu_before = thread_cpu();
    let batch_rows = options.batch_rows.max(1);
    let run = options.run;
    let new_pending = || Pending {
        reviews: Vec::with_capacity(batch_rows),
        ..Pending::default()
    };
    std::thread::scope(|scope| -> Result<(), BulkError> {
        let reader = {
            let (progress, stop) = (progress.clone(), stop.clone());
            let chunk_rows = options.chunk_rows.max(1);
            std::thread::Builder::new()
                .name("verdict-read".into())
                .spawn_scoped(scope, move || {
                    read_units(units, progress, chunk_rows, work_tx, stop)
                })
                .map_err(|source| BulkError::Thread {
                    thread: "reader",
                    source,
                })?
        };
        let mut judges = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (work_rx, done_tx) = (work_rx.clone(), done_tx.clone());
            judges.push(
                std::thread::Builder::new()
                    .name("verdict-judge".into())
                    .spawn_scoped(scope, move || process_chunks(work_rx, done_tx, processor))
                    .map_err(|source| BulkError::Thread {
                        thread: "judge",
                        source,
                    })?,
            );
        }
        drop(done_tx);
        let writer = std::thread::Builder::new()
            .name("verdict-write".into())
            .spawn_scoped(scope, move || -> Result<(Written, Duration), StoreError> {
                let mut real = HashMap::new();
                let mut written = Written {
                    lines: gather.then(StatLines::new),
                    ..Written::default()
                };
                for pending in batch_rx {
                    write_pending(store, pending, &mut real, &mut written, run)?;
                }
                Ok((written, thread_cpu()))
            })
            .map_err(|source| BulkError::Thread {
                thread: "writer",
                source,
            })?;
        let mut pending = new_pending();
        let mut pending_bytes = 0usize;
        let mut waiting: BTreeMap<u64, Chunk<Ready>> = BTreeMap::new();
        let mut next_seq = 0;
        let mut last_tick = Instant::now();
        let mut send_failed = false;
        'chunks: for chunk in done_rx.iter() {
            waiting.insert(chunk.seq, chunk);
            while let Some(chunk) = waiting.remove(&next_seq) {
                next_seq += 1;
                for e in chunk.events {
                    if matches!(e, Event::Bad(_)) {
                        report.bad_rows += 1;
                    }
                    event(e);
                }
                for (film, row) in chunk.rows {
                    report.rows += 1;
                    if let Some(label) = row.source_verdict {
                        report.labelled += 1;
                        let read = match row.assessment.p_positive {
                            Some(p) => p > 0.5,
                            None => row.assessment.verdict == verdict_core::Verdict::Positive,
                        };
                        if read == (label == verdict_core::Verdict::Positive) {
                            report.label_agreement += 1;
                        }
                    }
                    match resolver.film_of(&film, &mut pending, event) {
                        Ok(handle) => {
                            pending_bytes += row.body.len() + row.source.len() + 256;
                            pending.reviews.push((FilmRef::Stored(handle), row));
                        }
                        Err(reason) => {
                            report.unmatched += 1;
                            event(Event::Unmatched {
                                source: row.source,
                                reason,
                            });
                        }
                    }
                }
                if pending.reviews.len() >= options.batch_rows
                    || pending_bytes >= options.batch_bytes
                {
                    pending_bytes = 0;
                    if batch_tx
                        .send(std::mem::replace(&mut pending, new_pending()))
                        .is_err()
                    {
                        send_failed = true;
                        break 'chunks;
                    }
                }
                if last_tick.elapsed() >= Duration::from_millis(100) {
                    last_tick = Instant::now();
                    tick(Tick {
                        bytes: progress.load(Ordering::Relaxed),
                        rows: report.rows,
                    });
                }
            }
        }
        if send_failed {
            stop.store(true, Ordering::Relaxed);
            // Let the reader and workers see closed channels.
            drop(done_rx);
        } else {
            let _ = batch_tx.send(pending);
        }
        drop(batch_tx);
        report.stages.resolve_cpu += (thread_cpu().saturating_sub(cpu_before)).as_secs_f64();
        let (written, write_cpu) = writer.join().map_err(|_| BulkError::WriterStopped)??;
        report.stages.write_cpu += write_cpu.as_secs_f64();
        report.stages.rows_wall += started.elapsed().as_secs_f64();
        for judge in judges {
            if let Ok(cpu) = judge.join() {
                report.stages.judge_cpu += cpu.as_secs_f64();
            }
        }
        if let Ok(cpu) = reader.join() {
            report.stages.read_cpu += cpu.as_secs_f64();
        }
        tick(Tick {
            bytes: progress.load(Ordering::Relaxed),
            rows: report.rows,
        });
        *lines = written.lines;
        report.inserted += written.inserted;
        report.duplicates += written.duplicates;
        report.rejected += written.rejected.len() as u64;
        for e in written.rejected {
            event(e);
        }
        Ok(())
    })?;
    report.films_created += resolver.created;
    report.films_matched += resolver.matched.len() as u64;
    Ok(())
}

/// A stored catalogue entry as the matcher sees it.
pub fn candidate(e: CatalogueEntry) -> CatalogueCandidate {
    CatalogueCandidate {
        id: e.id,
        title: e.title,
        year: e.year,
        imdb_id: e.imdb_id,
        titles: e.titles.into_iter().map(|t| (t.key, t.kind)).collect(),
    }
}

/// Matches films to the catalogue: every film not looked up yet, and with
/// `recheck` also the films left unmatched before (the catalogue grew).
pub fn link_catalogue<S: Store + ?Sized>(
    store: &mut S,
    recheck: bool,
) -> Result<LinkReport, BulkError> {
    let mut films = store.films_without_catalogue_decision()?;
    if recheck {
        let unmatched: std::collections::HashSet<i64> = store
            .film_catalogue(None)?
            .into_iter()
            .filter(|d| d.entry.is_none())
            .map(|d| d.film_id)
            .collect();
        if !unmatched.is_empty() {
            films.extend(
                store
                    .film_index()?
                    .into_iter()
                    .filter(|f| unmatched.contains(&f.record.film.id))
                    .map(|f| f.record),
            );
        }
    }
    let mut report = LinkReport::default();
    let mut decisions = Vec::new();
    for record in films {
        let film = record.film;
        let keys = verdict_resolve::title_keys(Some(&film.title), &film.aliases);
        let entries = store.catalogue_by_keys(&keys)?;
        let titles_of: HashMap<i64, Vec<CatalogueTitle>> =
            entries.iter().map(|e| (e.id, e.titles.clone())).collect();
        let candidates: Vec<CatalogueCandidate> = entries.into_iter().map(candidate).collect();
        let decision = match verdict_resolve::match_catalogue(
            &film.title,
            film.year,
            &film.aliases,
            &candidates,
        ) {
            CatalogueMatch::Matched {
                id,
                confidence,
                method,
            } => {
                report.matched += 1;
                CatalogueDecision {
                    film_id: film.id,
                    catalogue_id: Some(id),
                    confidence: Some(confidence),
                    method,
                    note: None,
                    aliases: titles_of
                        .get(&id)
                        .into_iter()
                        .flatten()
                        .map(|t| Alias::new(t.title.clone(), t.key.clone()))
                        .collect(),
                }
            }
            CatalogueMatch::Unmatched { method, reason } => {
                if method == "ambiguous" {
                    report.ambiguous += 1;
                } else {
                    report.not_found += 1;
                }
                CatalogueDecision {
                    film_id: film.id,
                    catalogue_id: None,
                    confidence: None,
                    method: method.to_string(),
                    note: Some(reason),
                    aliases: Vec::new(),
                }
            }
        };
        decisions.push(decision);
        if decisions.len() >= 5_000 {
            store.set_film_catalogue(&decisions)?;
            decisions.clear();
        }
    }
    store.set_film_catalogue(&decisions)?;
    Ok(report)
}
