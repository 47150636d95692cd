//! `verdict serve` as a child process, and an HTTP client for it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// `verdict serve` on a database, on a port of its own; stopped when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    /// Starts `verdict --db DB serve --create --addr 127.0.0.1:0 ARGS…`
    /// (a database that does not exist yet is created) and waits for the
    /// address it prints.
    pub fn start(db: &Path, args: &[&str]) -> Server {
        Server::start_logging(db, args, "warn", Stdio::inherit())
    }

    /// [`Server::start`] with `VERDICT_LOG=filter` and standard error to
    /// `stderr`.
    pub fn start_logging(db: &Path, args: &[&str], filter: &str, stderr: Stdio) -> Server {
        let mut child = super::verdict_command()
            .arg("--db")
            .arg(db)
            .args(["serve", "--create", "--addr", "127.0.0.1:0"])
            .args(args)
            .env_remove("VERDICT_DB")
            .env_remove("VERDICT_TOKEN")
            .env_remove("VERDICT_CONFIG")
            .env("VERDICT_LOG", filter)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start verdict serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address within a minute");
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let mut res = agent().get(&self.url(path)).call().expect("GET");
        let status = res.status().as_u16();
        let body = res
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .expect("body");
        (status, body)
    }

    /// The body of a GET that must answer 200.
    pub fn body(&self, path: &str) -> String {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    pub fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// POSTs a document; returns the status and the JSON answer (or Null).
    pub fn post(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: &[u8],
    ) -> (u16, Value) {
        let mut req = agent()
            .post(&self.url(path))
            .header("Content-Type", content_type);
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let mut res = req.send(body).expect("POST");
        let status = res.status().as_u16();
        let text = res.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// DELETEs; returns the status and the JSON answer (or Null).
    pub fn delete(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = agent().delete(&self.url(path));
        if let Some(t) = token {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let mut res = req.call().expect("DELETE");
        let status = res.status().as_u16();
        let text = res.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client that returns error statuses as answers.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}
