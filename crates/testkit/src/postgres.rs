//! A throwaway PostgreSQL server for tests, of Debian's packages (the
//! binaries under `/usr/lib/postgresql/<version>/bin`), with no client
//! crate: the server is made by `initdb`, run by `pg_ctl` and given
//! databases by `createdb`.
//!
//! **Where it lives.** Each server has its own folder under the system's
//! temporary folder, `verdict-testkit-pg-<test process id>-<n>`, holding
//! its data directory, its unix socket (never the system cluster's) and its
//! logs. It listens on 127.0.0.1 only, on a port that was free a moment
//! before, with settings made for tests (no `fsync`, no synchronous commit,
//! no full page writes, 200 connections) and trusts every local connection
//! as the superuser `postgres`.
//!
//! **Run as root.** `initdb` refuses to run as root: when the tests run as
//! root, the server's folder is given to the `postgres` system user (the
//! packages make it) and `initdb` and `pg_ctl` run as that user, by
//! `runuser` (or `su`). The clients (`createdb`, `psql`) connect by TCP as
//! the database user `postgres` and so run as whoever runs the tests.
//!
//! **No server outlives its tests.** The server is started and stopped by
//! a watchdog, a small shell script (run as the server's user, in a process
//! group of its own) whose standard input is a pipe from the test process.
//! It makes the cluster (`initdb`), starts the server (`pg_ctl -w start`),
//! says `ready`, then reads its input until the end, which comes when the
//! [`PgServer`] is dropped *or* when the test process ends in any way at
//! all (the kernel closes the pipe even after a `SIGKILL`); then it stops
//! the server (`pg_ctl -m immediate stop`) and removes its folder. So the
//! [`shared`] server, a static that is never dropped, stops when its test
//! binary exits, and a Ctrl-C of `cargo test` (a signal to the terminal's
//! process group, which the watchdog is not in) stops it too. The stop
//! takes a moment after the test process has gone (a fraction of a
//! second). Should a watchdog itself be killed, or the test process in the
//! moment between making the server's folder and starting its watchdog,
//! the next server started on the machine removes the folders whose test
//! process is gone, stopping any server still running in them.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::note;

/// What every server's folder is named by, before `<pid>-<n>`.
const PREFIX: &str = "verdict-testkit-pg-";

/// The watchdog: `sh -c WATCHDOG sh DIR BIN OPTIONS`, run as the server's
/// user. It makes the cluster too, so that a test process gone during
/// `initdb` leaves nothing behind either. Its `ready` may go to a test
/// process already gone: `SIGPIPE` is ignored from there on (not before,
/// lest the server inherit it), so that the watchdog lives on to stop the
/// server it has just started.
const WATCHDOG: &str = r#"dir=$1 bin=$2 options=$3 data=$1/data
"$bin/initdb" -D "$data" --auth=trust -U postgres --encoding=UTF8 --locale=C \
    --no-sync --no-instructions >"$dir/initdb.log" 2>&1 || exit 1
"$bin/pg_ctl" -D "$data" -l "$dir/server.log" -o "$options" -w -t 60 start \
    >"$dir/pg_ctl.log" 2>&1 || exit 1
trap '' PIPE
echo ready
exec >>"$dir/pg_ctl.log" 2>&1
while read -r _; do :; done
"$bin/pg_ctl" -D "$data" -m immediate stop
rm -rf "$dir"
"#;

/// A PostgreSQL server of Debian's packages, started for the tests in a
/// temporary directory on a free loopback port; stopped (and its directory
/// removed) when dropped.
///
/// ```no_run
/// let Some(pg) = verdict_testkit::postgres::shared() else {
///     return; // skipped, visibly: PostgreSQL is not installed
/// };
/// let url = pg.database(); // postgres://postgres@127.0.0.1:PORT/NAME
/// # let _ = url;
/// ```
#[derive(Debug)]
pub struct PgServer {
    port: u16,
    /// The server's folder: `data/`, `socket/`, `initdb.log`, `pg_ctl.log`,
    /// `server.log`.
    dir: PathBuf,
    /// The binaries it was started from (its clients are taken there too).
    bin: PathBuf,
    /// The watchdog, and the pipe whose end stops it (see the module's
    /// docs).
    watchdog: Child,
    stop: Option<ChildStdin>,
}

/// Why there is no server.
enum NoServer {
    /// PostgreSQL cannot be run here: skipped (or a failure, under
    /// `VERDICT_REQUIRE_POSTGRES=1`).
    Absent(String),
    /// It is there but the server would not start: always a failure.
    Failed(String),
}

impl PgServer {
    /// Starts one, or returns `None` after a visible skip when PostgreSQL's
    /// binaries are absent; under `VERDICT_REQUIRE_POSTGRES=1` (set by CI)
    /// a missing PostgreSQL panics instead. A server that is there but will
    /// not start panics with its log.
    pub fn start() -> Option<PgServer> {
        match try_start() {
            Ok(server) => Some(server),
            Err(NoServer::Absent(reason)) => {
                skip_postgres(&reason);
                None
            }
            Err(NoServer::Failed(message)) => panic!("{message}"),
        }
    }

    /// A connection URL to a fresh, empty database created on this server
    /// for one test: `postgres://postgres@127.0.0.1:PORT/NAME`, `NAME`
    /// unique per call (`t<n>_<pid>`).
    pub fn database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "t{}_{}",
            NEXT.fetch_add(1, Ordering::Relaxed),
            std::process::id()
        );
        let mut createdb = self.client("createdb");
        createdb.arg("--maintenance-db=postgres").arg(&name);
        let out = createdb
            .output()
            .unwrap_or_else(|e| panic!("createdb cannot be run: {e}"));
        if !out.status.success() {
            panic!(
                "createdb {name} on port {} failed ({}): {}",
                self.port,
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// The server's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A client of the server's own version (`createdb`, `psql`, ...),
    /// connecting by TCP as `postgres`, with no settings of the caller's
    /// environment or home folder.
    fn client(&self, name: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        for var in [
            "PGHOST",
            "PGHOSTADDR",
            "PGPORT",
            "PGUSER",
            "PGDATABASE",
            "PGPASSWORD",
            "PGPASSFILE",
            "PGSERVICE",
            "PGSERVICEFILE",
            "PGOPTIONS",
            "PGSSLMODE",
        ] {
            command.env_remove(var);
        }
        command
            .env("PGCONNECT_TIMEOUT", "10")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "postgres", "-w"])
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        command
    }

    /// The logs of a server that failed (read before it is removed).
    fn logs(dir: &Path) -> String {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| format!("({e})"))
        };
        format!(
            "--- initdb ---\n{}\n--- pg_ctl ---\n{}\n--- server.log ---\n{}",
            read("initdb.log").trim_end(),
            read("pg_ctl.log").trim_end(),
            read("server.log").trim_end()
        )
    }
}

impl Drop for PgServer {
    /// Ends the watchdog's input, so that it stops the server and removes
    /// its folder, and waits for it to have done so.
    fn drop(&mut self) {
        drop(self.stop.take());
        let _ = self.watchdog.wait();
        if self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// One server shared by every test of the calling test binary, started on
/// first use ([`OnceLock`]); `None` (after a visible skip) when PostgreSQL
/// is absent. It is never dropped: it stops, and its folder goes, when the
/// test binary exits (see the module's docs). Give each test its own
/// [`database`](PgServer::database).
pub fn shared() -> Option<&'static PgServer> {
    static SHARED: OnceLock<Result<PgServer, NoServer>> = OnceLock::new();
    match SHARED.get_or_init(try_start) {
        Ok(server) => Some(server),
        Err(NoServer::Absent(reason)) => {
            skip_postgres(reason);
            None
        }
        Err(NoServer::Failed(message)) => panic!("{message}"),
    }
}

/// Whether `VERDICT_REQUIRE_POSTGRES=1`: a missing PostgreSQL fails the
/// test.
pub fn postgres_required() -> bool {
    std::env::var("VERDICT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// Skips the calling test (a visible `SKIPPED` line), or fails it under
/// `VERDICT_REQUIRE_POSTGRES=1`.
fn skip_postgres(reason: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    match skipping(&test, reason, postgres_required()) {
        Ok(line) => note(line),
        Err(message) => panic!("{message}"),
    }
}

/// What a skip of `test` for `reason` does: the line it shows, or (when
/// PostgreSQL is `required`) the failure.
fn skipping(test: &str, reason: &str, required: bool) -> Result<String, String> {
    if required {
        Err(format!(
            "{test}: {reason}, and VERDICT_REQUIRE_POSTGRES=1 requires it"
        ))
    } else {
        Ok(format!("SKIPPED {test}: {reason}"))
    }
}

/// Finds PostgreSQL, makes a cluster and starts it; a port taken between
/// its choice and the server's start is retried on another.
fn try_start() -> Result<PgServer, NoServer> {
    let bin = bin_dir().ok_or_else(|| {
        NoServer::Absent(
            "PostgreSQL is not installed (no initdb, pg_ctl and createdb under \
             /usr/lib/postgresql/*/bin, pg_config --bindir or PATH; Debian: apt-get install postgresql)"
                .into(),
        )
    })?;
    let user = RunAs::find().map_err(NoServer::Absent)?;
    remove_stale(&bin, &user);
    let mut last = String::new();
    for _ in 0..3 {
        match start_once(&bin, &user) {
            Ok(server) => return Ok(server),
            Err(Attempt::PortTaken(logs)) => last = logs,
            Err(Attempt::Failed(message)) => return Err(NoServer::Failed(message)),
        }
    }
    Err(NoServer::Failed(format!(
        "PostgreSQL could not bind a free port three times:\n{last}"
    )))
}

enum Attempt {
    PortTaken(String),
    Failed(String),
}

fn start_once(bin: &Path, user: &RunAs) -> Result<PgServer, Attempt> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "{PREFIX}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let failed = |what: String| {
        let message = format!("{what}\n{}", PgServer::logs(&dir));
        let _ = std::fs::remove_dir_all(&dir);
        Attempt::Failed(message)
    };
    let _ = std::fs::remove_dir_all(&dir);
    let (data, socket) = (dir.join("data"), dir.join("socket"));
    std::fs::create_dir_all(&socket)
        .map_err(|e| Attempt::Failed(format!("cannot make {}: {e}", socket.display())))?;
    user.own(&dir).map_err(&failed)?;

    let port = free_port().map_err(|e| failed(format!("no free port on 127.0.0.1: {e}")))?;
    let options = [
        "-c listen_addresses=127.0.0.1".to_string(),
        format!("-p {port}"),
        format!("-k {}", sh_quote(&socket.to_string_lossy())),
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off".into(),
        "-c max_connections=200".into(),
    ]
    .join(" ");
    let mut watchdog = user.command(Path::new("sh"), &dir);
    watchdog
        .arg("-c")
        .arg(WATCHDOG)
        .arg("sh")
        .arg(&dir)
        .arg(bin)
        .arg(options)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // Not in the terminal's process group: a Ctrl-C of the tests ends the
    // test process, whose end ends the watchdog's input, whose end stops
    // the server -- the watchdog itself stays to do it.
    #[cfg(unix)]
    watchdog.process_group(0);
    let mut watchdog = watchdog
        .spawn()
        .map_err(|e| failed(format!("the watchdog (sh) cannot be run: {e}")))?;
    let stop = watchdog.stdin.take();
    let mut said = String::new();
    if let Some(out) = watchdog.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut said);
    }
    if said.trim() != "ready" {
        drop(stop);
        let _ = watchdog.wait();
        let logs = PgServer::logs(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        if logs.contains("could not bind") || logs.contains("already in use") {
            return Err(Attempt::PortTaken(logs));
        }
        return Err(Attempt::Failed(format!(
            "PostgreSQL did not start (initdb, then pg_ctl -D {} start):\n{logs}",
            data.display()
        )));
    }
    // From here, dropping the server stops it.
    let server = PgServer {
        port,
        dir,
        bin: bin.to_path_buf(),
        watchdog,
        stop,
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err() {
        if Instant::now() > deadline {
            let logs = PgServer::logs(&server.dir);
            return Err(Attempt::Failed(format!(
                "PostgreSQL started but accepts no connection on {address} after 30 s:\n{logs}"
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(server)
}

/// A port of 127.0.0.1 that was free a moment ago.
fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// The folder of PostgreSQL's binaries: the highest version under
/// `/usr/lib/postgresql/*/bin`, else `pg_config --bindir`, else the one on
/// `PATH` that holds `initdb`. It must hold `initdb`, `pg_ctl` and
/// `createdb`.
fn bin_dir() -> Option<PathBuf> {
    let complete = |dir: &Path| {
        ["initdb", "pg_ctl", "createdb"]
            .iter()
            .all(|b| dir.join(b).is_file())
    };
    let mut versions: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version = name
                .split('.')
                .map(|n| n.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| complete(bin))
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        .filter(|bin| complete(bin));
    from_pg_config.or_else(|| {
        let initdb = on_path("initdb")?;
        let bin = initdb.parent()?.to_path_buf();
        complete(&bin).then_some(bin)
    })
}

/// `name` on `PATH` (and in the `sbin` folders, where `runuser` lives).
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|file| file.is_file())
}

/// Who runs the server: the current user, or (as root, whom `initdb`
/// refuses) the `postgres` system user.
enum RunAs {
    Me,
    /// Through `runuser -u postgres --` (its path).
    Runuser(PathBuf),
    /// Through `su postgres -s /bin/sh -c` (its path).
    Su(PathBuf),
}

impl RunAs {
    fn find() -> Result<RunAs, String> {
        let uid = Command::new("id")
            .arg("-u")
            .stderr(Stdio::null())
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
            .unwrap_or_default();
        if uid != "0" {
            return Ok(RunAs::Me);
        }
        let postgres_exists = Command::new("id")
            .args(["-u", "postgres"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !postgres_exists {
            return Err(
                "the tests run as root, whom initdb refuses, and there is no `postgres` user \
                 to run the server as"
                    .into(),
            );
        }
        if let Some(runuser) = on_path("runuser") {
            Ok(RunAs::Runuser(runuser))
        } else if let Some(su) = on_path("su") {
            Ok(RunAs::Su(su))
        } else {
            Err(
                "the tests run as root, whom initdb refuses, and neither runuser nor su is \
                 there to run the server as `postgres`"
                    .into(),
            )
        }
    }

    /// `program` to be given its arguments, run as this user in `dir`.
    fn command(&self, program: &Path, dir: &Path) -> ProgramAs {
        let inner = match self {
            RunAs::Me => Command::new(program),
            RunAs::Runuser(runuser) => {
                let mut command = Command::new(runuser);
                command.args(["-u", "postgres", "--"]).arg(program);
                command
            }
            RunAs::Su(su) => Command::new(su),
        };
        let mut program_as = ProgramAs {
            inner,
            su: matches!(self, RunAs::Su(_)).then(|| vec![sh_quote(&program.to_string_lossy())]),
        };
        program_as.inner.current_dir(dir);
        program_as
    }

    /// Gives `dir` (and all in it) to the server's user.
    fn own(&self, dir: &Path) -> Result<(), String> {
        if let RunAs::Me = self {
            return Ok(());
        }
        let out = Command::new("chown")
            .args(["-R", "postgres:"])
            .arg(dir)
            .output()
            .map_err(|e| format!("chown cannot be run: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "chown -R postgres: {} failed: {}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

/// A [`Command`] run as [`RunAs`] says: through `su`, the arguments are
/// gathered into one shell command line, given when it is run.
struct ProgramAs {
    inner: Command,
    su: Option<Vec<String>>,
}

impl ProgramAs {
    fn arg(&mut self, arg: impl AsRef<std::ffi::OsStr>) -> &mut Self {
        match &mut self.su {
            Some(words) => words.push(sh_quote(&arg.as_ref().to_string_lossy())),
            None => {
                self.inner.arg(arg);
            }
        }
        self
    }

    fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(&mut self, args: I) -> &mut Self {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    fn stdin(&mut self, stdio: Stdio) -> &mut Self {
        self.inner.stdin(stdio);
        self
    }

    fn stdout(&mut self, stdio: Stdio) -> &mut Self {
        self.inner.stdout(stdio);
        self
    }

    fn stderr(&mut self, stdio: Stdio) -> &mut Self {
        self.inner.stderr(stdio);
        self
    }

    #[cfg(unix)]
    fn process_group(&mut self, group: i32) -> &mut Self {
        use std::os::unix::process::CommandExt;
        self.inner.process_group(group);
        self
    }

    fn ready(&mut self) -> &mut Command {
        if let Some(words) = self.su.take() {
            self.inner
                .args(["postgres", "-s", "/bin/sh", "-c"])
                .arg(words.join(" "));
        }
        &mut self.inner
    }

    fn output(&mut self) -> std::io::Result<std::process::Output> {
        self.ready().output()
    }

    fn spawn(&mut self) -> std::io::Result<Child> {
        self.ready().spawn()
    }
}

/// `text` in single quotes, for `sh` (and `pg_ctl -o`, which goes through
/// it).
fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Removes the folders of servers whose test process is gone (their
/// watchdog was killed before it could), stopping a server still running
/// in one. Only where `/proc` tells which processes live.
fn remove_stale(bin: &Path, user: &RunAs) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if proc.join(pid.to_string()).exists() {
            continue;
        }
        let dir = entry.path();
        let data = dir.join("data");
        if data.join("postmaster.pid").exists() {
            let _ = user
                .command(&bin.join("pg_ctl"), Path::new("/"))
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "stop"])
                .stdin(Stdio::null())
                .output();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SELECT 1` through `psql` of the server's version, against `url`.
    fn select_one(server: &PgServer, url: &str) -> String {
        let out = Command::new(server.bin.join("psql"))
            .args(["-X", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1"])
            .args(["-c", "SELECT 1"])
            .arg(url)
            .env("PGCONNECT_TIMEOUT", "10")
            .stdin(Stdio::null())
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql {url}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The database `url` names.
    fn current_database(server: &PgServer, url: &str) -> String {
        let out = Command::new(server.bin.join("psql"))
            .args(["-X", "-A", "-t", "-w", "-c", "SELECT current_database()"])
            .arg(url)
            .stdin(Stdio::null())
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Whether process `pid` runs (a zombie, dead but not yet reaped by
    /// the init process that inherited it, does not).
    fn running(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            // pid (comm) STATE ...: the state follows the last ')'.
            stat.rsplit(')')
                .next()
                .and_then(|rest| rest.trim_start().chars().next())
                != Some('Z')
        })
    }

    /// The postmaster's process id, the first line of `postmaster.pid`.
    fn postmaster(server: &PgServer) -> u32 {
        let pid_file = server.dir.join("data/postmaster.pid");
        let text = std::fs::read_to_string(&pid_file).expect("the server has a postmaster.pid");
        text.lines().next().unwrap().trim().parse().unwrap()
    }

    #[test]
    fn a_server_gives_databases_that_accept_connections_and_goes_when_dropped() {
        let Some(server) = PgServer::start() else {
            return;
        };
        let port = server.port();
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok());
        let (a, b) = (server.database(), server.database());
        assert_ne!(a, b);
        for url in [&a, &b] {
            let prefix = format!("postgres://postgres@127.0.0.1:{port}/");
            let name = url.strip_prefix(&prefix).expect("the URL names the server");
            assert_eq!(select_one(&server, url), "1");
            assert_eq!(current_database(&server, url), name);
        }
        // The socket is the server's own, inside its folder.
        assert!(server.dir.join(format!("socket/.s.PGSQL.{port}")).exists());

        let (dir, pid) = (server.dir.clone(), postmaster(&server));
        let proc = Path::new("/proc/self").exists();
        assert!(running(pid) || !proc);
        drop(server);
        assert!(!dir.exists(), "{} is left", dir.display());
        assert!(!running(pid), "postmaster {pid} is left");
        assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err());
    }

    #[test]
    fn the_shared_server_is_one_and_gives_each_test_its_own_database() {
        let Some(server) = shared() else {
            return;
        };
        assert!(std::ptr::eq(server, shared().unwrap()));
        // Tests run at once: databases made at once.
        let urls: Vec<String> = std::thread::scope(|s| {
            let made: Vec<_> = (0..8).map(|_| s.spawn(|| server.database())).collect();
            made.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let mut distinct = urls.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), urls.len());
        for url in &urls {
            assert_eq!(select_one(server, url), "1");
        }
    }

    #[test]
    fn two_servers_run_side_by_side() {
        let (Some(one), Some(two)) = (PgServer::start(), PgServer::start()) else {
            return;
        };
        assert_ne!(one.port(), two.port());
        assert_eq!(select_one(&one, &one.database()), "1");
        assert_eq!(select_one(&two, &two.database()), "1");
    }

    #[test]
    fn a_missing_postgres_skips_or_under_verdict_require_postgres_fails() {
        assert_eq!(
            skipping("t", "PostgreSQL is not installed", false),
            Ok("SKIPPED t: PostgreSQL is not installed".to_string())
        );
        let failure = skipping("t", "PostgreSQL is not installed", true).unwrap_err();
        assert!(failure.contains("VERDICT_REQUIRE_POSTGRES=1"), "{failure}");
    }

    #[test]
    fn quoting_survives_the_shell() {
        let quoted = sh_quote("it's a /tmp dir");
        let out = Command::new("sh")
            .args(["-c", &format!("printf %s {quoted}")])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "it's a /tmp dir");
    }
}
