//! Outlet weights for the weighted mean score: equal unless configured.
//!
//! The file format is one outlet per line, `outlet<TAB>weight` or
//! `outlet,weight` (the last tab or comma separates them, so outlet names
//! may hold commas); blank lines and lines starting with `#` are skipped;
//! the outlet `*` sets the weight of every outlet not listed (1 by
//! default). Outlets are matched with case, accents and punctuation
//! folded. A weight is a finite number ≥ 0 (0 leaves the outlet out).

use std::collections::HashMap;

use verdict_core::title::fold;

/// Weights of outlets in `weighted_score`.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletWeights {
    name: String,
    by_key: HashMap<String, f64>,
    default: f64,
}

impl Default for OutletWeights {
    fn default() -> Self {
        OutletWeights::equal()
    }
}

/// Why a weights file cannot be read; each names the line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("line {line}: expected \"outlet<TAB>weight\" or \"outlet,weight\", found {found:?}")]
    Syntax { line: usize, found: String },
    #[error("line {line}: the weight {weight:?} is not a number ≥ 0")]
    Weight { line: usize, weight: String },
    #[error("line {line}: no outlet name")]
    NoOutlet { line: usize },
}

impl OutletWeights {
    /// Every outlet weighs 1.
    pub fn equal() -> Self {
        OutletWeights {
            name: "equal".to_string(),
            by_key: HashMap::new(),
            default: 1.0,
        }
    }

    /// Reads a weights file (see the module docs); `name` names it in the
    /// output. Errors name the line.
    pub fn parse(name: &str, text: &str) -> Result<Self, WeightsError> {
        let mut w = OutletWeights {
            name: name.to_string(),
            by_key: HashMap::new(),
            default: 1.0,
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some(at) = line.rfind(['\t', ',']) else {
                return Err(WeightsError::Syntax {
                    line: i + 1,
                    found: line.to_string(),
                });
            };
            let (outlet, weight) = (line[..at].trim(), line[at + 1..].trim());
            let weight: f64 = weight
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| WeightsError::Weight {
                    line: i + 1,
                    weight: weight.to_string(),
                })?;
            if outlet == "*" {
                w.default = weight;
            } else {
                let key = fold(outlet);
                if key.is_empty() {
                    return Err(WeightsError::NoOutlet { line: i + 1 });
                }
                w.by_key.insert(key, weight);
            }
        }
        Ok(w)
    }

    /// The weight of a review from `outlet` (the default for unknown or
    /// missing outlets).
    pub fn weight(&self, outlet: Option<&str>) -> f64 {
        if self.by_key.is_empty() {
            return self.default;
        }
        outlet
            .and_then(|o| self.by_key.get(&fold(o)))
            .copied()
            .unwrap_or(self.default)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// True when every outlet weighs the same.
    pub fn is_equal(&self) -> bool {
        self.by_key.values().all(|w| *w == self.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tabs_commas_defaults_and_comments() {
        let w = OutletWeights::parse(
            "w.tsv",
            "# weights\nNew York Times\t2\nVariety, Inc,1.5\n*\t0.5\n",
        )
        .unwrap();
        assert_eq!(w.weight(Some("new york times")), 2.0);
        assert_eq!(w.weight(Some("Variety, Inc.")), 1.5);
        assert_eq!(w.weight(Some("Elsewhere")), 0.5);
        assert_eq!(w.weight(None), 0.5);
        assert_eq!(w.name(), "w.tsv");
        assert!(!w.is_equal());
    }

    #[test]
    fn refuses_bad_lines_with_their_number() {
        let e = OutletWeights::parse("w", "A\t1\nB\tlots\n").unwrap_err();
        assert_eq!(
            e,
            WeightsError::Weight {
                line: 2,
                weight: "lots".into()
            }
        );
        assert!(e.to_string().starts_with("line 2"), "{e}");
        assert!(matches!(
            OutletWeights::parse("w", "A\t-1"),
            Err(WeightsError::Weight { line: 1, .. })
        ));
        assert!(matches!(
            OutletWeights::parse("w", "just a name"),
            Err(WeightsError::Syntax { line: 1, .. })
        ));
        assert_eq!(
            OutletWeights::parse("w", ",2"),
            Err(WeightsError::NoOutlet { line: 1 })
        );
    }

    #[test]
    fn equal_by_default() {
        let w = OutletWeights::default();
        assert_eq!(w.weight(Some("Anything")), 1.0);
        assert!(w.is_equal());
        assert_eq!(w.name(), "equal");
    }
}
