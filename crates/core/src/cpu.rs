//! The CPU time a thread has used: what the import summary's stages and
//! the lab's speed benchmarks count, so that a speed measured on a shared
//! machine counts the work done, not the time spent waiting for a core.

use std::time::Duration;

/// CPU time of the calling thread (Linux: `/proc/thread-self/schedstat`);
/// `None` where the system does not report it.
pub fn thread_time() -> Option<Duration> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
        .map(Duration::from_nanos)
}

/// CPU time of every live thread of this process, summed (Linux:
/// `/proc/self/task/*/schedstat`): the work of a thread pool, counted
/// whatever the cores; `None` where the system does not report it.
pub fn process_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let Ok(task) = task else { continue };
        let Ok(stat) = std::fs::read_to_string(task.path().join("schedstat")) else {
            continue; // the thread ended meanwhile
        };
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_busy_thread_uses_time() {
        let Some(before) = super::thread_time() else {
            return; // not reported here (not Linux)
        };
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(i);
        }
        std::hint::black_box(x);
        assert!(super::thread_time().unwrap() > before);
        assert!(super::process_time().unwrap() >= super::thread_time().unwrap());
    }
}
