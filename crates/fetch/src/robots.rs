//! robots.txt (RFC 9309): which paths a site lets crawlers fetch.
//!
//! The group for our product token (`verdict`) applies, else the `*`
//! group; groups naming the same agent are merged. The longest matching
//! rule wins, `Allow` on a tie; `*` matches any run of characters and a
//! final `$` anchors the end. `Crawl-delay` is read (not in the RFC, but
//! widely used) and slows requests to the host down to it.

use std::time::Duration;

/// The rules a robots.txt sets for one agent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    rules: Vec<Rule>,
    /// `Crawl-delay` of the chosen group.
    pub crawl_delay: Option<Duration>,
    /// Why robots.txt could not be read, when it could not: then everything
    /// is disallowed (RFC 9309 §2.3.1.4: a server error or an unreachable
    /// site means "assume complete disallow").
    pub unreadable: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Rule {
    allow: bool,
    pattern: String,
}

impl Robots {
    /// No robots.txt (it answered 4xx): everything is allowed.
    pub fn allow_all() -> Robots {
        Robots::default()
    }

    /// robots.txt could not be read (5xx, network error): nothing is allowed.
    pub fn unreadable(reason: impl Into<String>) -> Robots {
        Robots {
            unreadable: Some(reason.into()),
            ..Robots::default()
        }
    }

    /// Parses a robots.txt for the agent whose product token is `agent`
    /// (matched case-insensitively).
    pub fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        // Groups: (agents, rules, crawl delay).
        let mut groups: Vec<(Vec<String>, Vec<Rule>, Option<Duration>)> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new(), None));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.1.push(Rule {
                            allow: key == "allow",
                            pattern: value.to_string(),
                        });
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && let Ok(secs) = value.parse::<f64>()
                        && secs.is_finite()
                        && secs >= 0.0
                    {
                        g.2 = Some(Duration::from_secs_f64(secs.min(3600.0)));
                    }
                }
                _ => {}
            }
        }
        let ours = |a: &String| *a == agent;
        let mut robots = Robots::default();
        let mut found = false;
        for pass in [true, false] {
            for (agents, rules, delay) in &groups {
                let hit = if pass {
                    agents.iter().any(ours)
                } else {
                    agents.iter().any(|a| a == "*")
                };
                if hit {
                    found = true;
                    robots.rules.extend(rules.iter().cloned());
                    robots.crawl_delay = robots.crawl_delay.or(*delay);
                }
            }
            if found {
                break;
            }
        }
        robots
    }

    /// Whether `path` (path and query of a URL, starting with "/") may be
    /// fetched.
    pub fn allows(&self, path: &str) -> bool {
        if self.unreadable.is_some() {
            return path == "/robots.txt";
        }
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for rule in &self.rules {
            if matches(&rule.pattern, path) {
                let len = rule.pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, rule.allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Whether a robots.txt pattern matches the start of `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = match path.strip_prefix(parts[0]) {
        Some(r) => r,
        None => return false,
    };
    if parts.len() == 1 {
        return !anchored || rest.is_empty();
    }
    for (i, part) in parts.iter().enumerate().skip(1) {
        let last = i == parts.len() - 1;
        if last && anchored {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(p) => rest = &rest[p + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "\
# comment
User-agent: *
Disallow: /private/
Allow: /private/public-review.html
Disallow: /*.pdf$
Crawl-delay: 2

User-agent: Verdict
User-agent: OtherBot
Disallow: /no-verdict/
Disallow: /search

User-agent: verdict
Allow: /search/reviews
";

    #[test]
    fn our_group_wins_over_star_and_merges() {
        let r = Robots::parse(TXT, "verdict");
        assert!(!r.allows("/no-verdict/x"));
        assert!(!r.allows("/search?q=x"));
        assert!(r.allows("/search/reviews/1"), "longest rule wins");
        assert!(r.allows("/private/x"), "the * group does not apply to us");
        assert_eq!(r.crawl_delay, None);
    }

    #[test]
    fn star_group_applies_to_others() {
        let r = Robots::parse(TXT, "somebot");
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/public-review.html"));
        assert!(!r.allows("/files/a.pdf"));
        assert!(r.allows("/files/a.pdf?x=1"), "$ anchors the end");
        assert!(r.allows("/"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(2)));
    }

    #[test]
    fn wildcards_and_anchors() {
        assert!(matches("/a/*/c", "/a/b/c/d"));
        assert!(!matches("/a/*/c", "/a/b/d"));
        assert!(matches("/*.html$", "/x/y.html"));
        assert!(!matches("/*.html$", "/x/y.html/z"));
        assert!(matches("/exact$", "/exact"));
        assert!(!matches("/exact$", "/exactly"));
        assert!(matches("*", "/anything"));
    }

    #[test]
    fn empty_disallow_allows_and_unreachable_disallows() {
        let r = Robots::parse("User-agent: *\nDisallow:\n", "verdict");
        assert!(r.allows("/anything"));
        let r = Robots::unreadable("HTTP 503");
        assert!(!r.allows("/review"));
        assert!(r.allows("/robots.txt"));
        assert!(Robots::allow_all().allows("/x"));
    }
}
