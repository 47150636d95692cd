//! Every dataset loaded once, deduplicated, and featurised into one arena.

use super::data::{self, Dataset, Doc};
use super::learn::FeatureStore;
use super::{TrainConfig, par_map};
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use verdict_judge::lab_api::features::{self, FeatureSpec};

/// Where a document sits in its dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Usable for training (and for cross-validation).
    Main,
    /// The dataset's official test part (aclImdb test): never trained on.
    OfficialTest,
}

/// One document of the corpus.
#[derive(Debug, Clone)]
pub struct Entry {
    pub dataset: Dataset,
    pub part: Part,
    pub doc: Doc,
    /// Its index in the corpus's feature store.
    pub feat: usize,
    /// Number of words (for length-aware calibration).
    pub words: u32,
    /// Its near-duplicate signature.
    pub(crate) signature: Signature,
}

/// All loaded datasets.
pub struct Corpus {
    pub(crate) spec: FeatureSpec,
    pub entries: Vec<Entry>,
    pub(crate) store: FeatureStore,
}

impl Corpus {
    /// Loads the datasets of `cfg`, drops exact duplicates within each
    /// (and texts seen with both labels), and featurises everything.
    pub fn load(cfg: &TrainConfig) -> Result<Corpus> {
        let (data_dir, spec) = (cfg.data_dir.as_path(), cfg.spec());
        let mut datasets = cfg.datasets.clone();
        datasets.sort();
        datasets.dedup();
        let mut entries = Vec::new();
        for &dataset in &datasets {
            let loaded = data::load(dataset, data_dir)?;
            // An official test part stays whole: benchmarks are defined on it.
            for (part, docs) in [
                (Part::Main, dedup(loaded.docs)),
                (Part::OfficialTest, loaded.official_test),
            ] {
                entries.extend(docs.into_iter().map(|doc| Entry {
                    dataset,
                    part,
                    doc,
                    feat: 0,
                    words: 0,
                    signature: Signature::default(),
                }));
            }
        }
        let feats = par_map(&entries, |e| {
            (
                features::extract(&e.doc.text, &spec),
                Signature::of(&e.doc.text),
            )
        });
        let mut store = FeatureStore::new();
        for (e, (f, sig)) in entries.iter_mut().zip(feats) {
            e.feat = store.push(&f, &spec);
            e.words = f.stats.tokens;
            e.signature = sig;
        }
        Ok(Corpus {
            spec,
            entries,
            store,
        })
    }

    /// Indices of the entries of `dataset` in `part`.
    pub fn indices(&self, dataset: Dataset, part: Part) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| self.entries[i].dataset == dataset && self.entries[i].part == part)
            .collect()
    }
}

/// A text's identity for de-duplication: its lowercased alphanumeric runs
/// (apostrophes, punctuation and tokenisation differences ignored).
pub(crate) fn key(text: &str) -> String {
    let text = features::strip_tags(text);
    let mut k = String::with_capacity(text.len());
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        if w.is_empty() {
            continue;
        }
        if !k.is_empty() {
            k.push(' ');
        }
        k.extend(w.chars().flat_map(char::to_lowercase));
    }
    k
}

/// Drops exact duplicates (same key), and texts seen with both labels.
pub(crate) fn dedup(docs: Vec<Doc>) -> Vec<Doc> {
    let keys: Vec<String> = docs.iter().map(|d| key(&d.text)).collect();
    let mut labels: HashMap<&str, Option<Option<bool>>> = HashMap::new();
    for (d, k) in docs.iter().zip(&keys) {
        let entry = labels.entry(k.as_str()).or_insert(Some(d.positive));
        if *entry != Some(d.positive) {
            *entry = None; // conflicting labels: drop all copies
        }
    }
    let keep: Vec<bool> = {
        let mut seen = HashSet::new();
        keys.iter()
            .map(|k| !k.is_empty() && labels[k.as_str()].is_some() && seen.insert(k.as_str()))
            .collect()
    };
    docs.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(d, _)| d)
        .collect()
}

/// What near-duplicate detection compares: the hash of a text's key and
/// of each of its 8-word shingles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature {
    key: u64,
    shingles: Vec<u64>,
}

const SHINGLE: usize = 8;

impl Signature {
    pub fn of(text: &str) -> Signature {
        let k = key(text);
        let words: Vec<&str> = k.split(' ').collect();
        let shingles = if words.len() < SHINGLE {
            Vec::new()
        } else {
            words
                .windows(SHINGLE)
                .map(|w| features::fnv1a64(w.join(" ").as_bytes()))
                .collect()
        };
        Signature {
            key: features::fnv1a64(k.as_bytes()),
            shingles,
        }
    }
}

/// Recognises texts that (nearly) repeat an evaluation text: the same key,
/// or, for longer texts, over 30% of the 8-word shingles found among the
/// evaluation texts. Training sets pass through it so that a benchmark
/// never sees its test texts, however another dataset spelled them.
pub struct NearDuplicates {
    keys: HashSet<u64>,
    shingles: HashSet<u64>,
}

impl NearDuplicates {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> NearDuplicates {
        let sigs: Vec<Signature> = texts.into_iter().map(Signature::of).collect();
        NearDuplicates::of_signatures(sigs.iter())
    }

    pub fn of_signatures<'a>(sigs: impl IntoIterator<Item = &'a Signature>) -> NearDuplicates {
        let mut keys = HashSet::new();
        let mut shingles = HashSet::new();
        for s in sigs {
            keys.insert(s.key);
            shingles.extend(s.shingles.iter().copied());
        }
        NearDuplicates { keys, shingles }
    }

    pub fn contains(&self, text: &str) -> bool {
        self.matches(&Signature::of(text))
    }

    pub fn matches(&self, s: &Signature) -> bool {
        if self.keys.contains(&s.key) {
            return true;
        }
        if s.shingles.is_empty() || self.shingles.is_empty() {
            return false;
        }
        let hits = s
            .shingles
            .iter()
            .filter(|h| self.shingles.contains(h))
            .count();
        hits * 10 > s.shingles.len() * 3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_tokenisation() {
        assert_eq!(
            key("It's a <b>GREAT</b> film!"),
            key("it 's a great film .")
        );
        assert_eq!(key(" -- "), "");
    }

    #[test]
    fn dedup_drops_copies_and_conflicts() {
        let d = |t: &str, p: bool| Doc {
            text: t.into(),
            positive: Some(p),
            ..Doc::default()
        };
        let out = dedup(vec![
            d("Good film.", true),
            d("good film", true),
            d("Bad film", false),
            d("so-so", true),
            d("So so!", false),
        ]);
        let texts: Vec<&str> = out.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["Good film.", "Bad film"]);
    }

    #[test]
    fn near_duplicates_by_key_and_shingles() {
        let long = "the film follows a young woman who returns to her home town after \
                    many years away and finds that nothing and nobody there has changed";
        let nd = NearDuplicates::new(["A short one.", long]);
        assert!(nd.contains("a SHORT one"));
        assert!(!nd.contains("a short one, really"));
        let edited = format!("In short: {long}. Recommended.");
        assert!(nd.contains(&edited));
        assert!(!nd.contains(
            "a completely different review of a completely different film with many words"
        ));
    }
}
