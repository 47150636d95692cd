//! Which language a review is written in: English, French, or another.
//!
//! Function words decide clear cases cheaply (most English snippets never
//! reach the statistical detector); `whatlang` decides the rest. English
//! goes to the English model, French to the French one; anything else is
//! judged "unsure".

use crate::features::TextStats;
use serde::Serialize;

/// The language of a text, as far as the judge can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    English,
    French,
    /// Another language (German, Spanish, …).
    Other,
    /// Too little text to tell (judged as English).
    Unknown,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::French => "fr",
            Language::Other => "other",
            Language::Unknown => "unknown",
        }
    }
}

/// Whether `w` (lowercased) is an English and/or a French function word.
/// "film" is both and counts for neither.
pub(crate) fn function_word(w: &str) -> (bool, bool) {
    let en = matches!(
        w,
        "the"
            | "and"
            | "is"
            | "of"
            | "a"
            | "an"
            | "to"
            | "it"
            | "this"
            | "that"
            | "with"
            | "was"
            | "for"
            | "but"
            | "in"
            | "its"
            | "his"
            | "her"
            | "are"
            | "be"
            | "by"
            | "not"
            | "n't"
            | "as"
            | "movie"
            | "you"
            | "have"
            | "has"
            | "from"
            | "at"
            | "they"
            | "which"
            | "who"
            | "one"
            | "so"
            | "too"
            | "than"
            | "more"
            | "what"
            | "all"
            | "there"
            | "would"
            | "about"
            | "just"
            | "been"
            | "their"
            | "or"
    );
    let fr = matches!(
        w,
        "le" | "la"
            | "les"
            | "des"
            | "du"
            | "un"
            | "une"
            | "est"
            | "et"
            | "pas"
            | "qui"
            | "que"
            | "dans"
            | "pour"
            | "sur"
            | "avec"
            | "ce"
            | "cette"
            | "il"
            | "elle"
            | "ne"
            | "au"
            | "aux"
            | "sa"
            | "ses"
            | "mais"
            | "très"
            | "c'est"
            | "n'est"
            | "tout"
            | "où"
            | "ont"
            | "sont"
            | "été"
            | "nous"
            | "vous"
            | "je"
            | "ça"
            | "d'un"
            | "d'une"
            | "l'on"
            | "qu'il"
            | "qu'elle"
    );
    (en, fr)
}

/// Detects the language of `text`.
pub fn detect(text: &str) -> Language {
    let stats = crate::features::for_each_feature(
        text,
        &crate::features::FeatureSpec {
            hash_bits: 10,
            flags: 0,
            char_min: 1,
            char_max: 1,
            char_weight: 0.0,
        },
        |_, _| {},
    );
    decide(&stats, text)
}

/// Decides the language from the function-word counts gathered while the
/// features were extracted, asking `whatlang` only in unclear cases.
pub(crate) fn decide(stats: &TextStats, text: &str) -> Language {
    let (en, fr, words) = (
        stats.english as usize,
        stats.french as usize,
        stats.tokens as usize,
    );
    if en >= 2 && en >= 3 * fr {
        return Language::English;
    }
    if fr >= 2 && fr >= 3 * en {
        // Spanish, Portuguese and Italian share French's "que", "de", "la",
        // "un": a text the detector is sure is one of them is not French.
        return match whatlang::detect(text) {
            Some(info)
                if info.is_reliable()
                    && matches!(
                        info.lang(),
                        whatlang::Lang::Spa
                            | whatlang::Lang::Por
                            | whatlang::Lang::Ita
                            | whatlang::Lang::Cat
                    ) =>
            {
                Language::Other
            }
            _ => Language::French,
        };
    }
    if words < 4 {
        return Language::Unknown;
    }
    // Some English function words and no French one: no need for the
    // statistical detector.
    if en >= 1 && fr == 0 {
        return Language::English;
    }
    let french_letters = || {
        text.chars().any(|c| {
            matches!(
                c,
                'é' | 'è'
                    | 'ê'
                    | 'ë'
                    | 'à'
                    | 'â'
                    | 'ù'
                    | 'û'
                    | 'ç'
                    | 'œ'
                    | 'î'
                    | 'ï'
                    | 'ô'
                    | 'É'
                    | 'È'
                    | 'À'
                    | 'Ç'
            )
        })
    };
    // French needs a French function word or letter, or the detector's
    // sure call: a short English line without function words
    // ("Captivating, moving sports docu; some swearing.") often looks
    // French to it, and Portuguese or Spanish ones look more French than
    // English.
    match whatlang::detect(text) {
        Some(info) if info.lang() == whatlang::Lang::Eng => Language::English,
        Some(info)
            if info.lang() == whatlang::Lang::Fra
                && (fr > 0 || info.is_reliable() || french_letters()) =>
        {
            Language::French
        }
        // Sure of another language (Portuguese and Spanish share French's
        // "que", "de", "la"): the counts above did not decide.
        Some(info) if info.is_reliable() => Language::Other,
        _ => {
            let two =
                whatlang::Detector::with_allowlist(vec![whatlang::Lang::Eng, whatlang::Lang::Fra]);
            match two.detect_lang(text) {
                Some(whatlang::Lang::Fra) if fr >= en && (fr > 0 || french_letters()) => {
                    Language::French
                }
                _ if en > 0 || fr == 0 => Language::English,
                _ => Language::Unknown,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_english_lines_and_other_romance_languages_are_not_french() {
        // Pull quotes of the film benchmark that were read as French.
        for en in [
            "Medical thriller mixes extreme violence, sex.",
            "Holding up well, cute -- \"peak\" Emma Roberts.",
            "If brainless, predictable fun will do, check out Shaolin Soccer.",
            "Captivating, moving sports docu; some swearing.",
        ] {
            assert_ne!(detect(en), Language::French, "{en}");
        }
        for other in [
            "Um exemplo perfeito da diferença entre um filme que recicla os elementos do gênero terror de maneira criativa e outro que apenas se limita a copiá-los.",
            "Un nuevo fiasco de M. Night Shyamalan, que sigue siendo un director con ideas interesantes (tanto argumentales como visuales) pero que necesita urgentemente la ayuda de un buen guionista.",
            "Con un ritmo que nunca decae, un sólido elenco, una emocionante banda sonora y un mensaje de amistad y superación personal, es sencillamente inolvidable.",
        ] {
            assert_eq!(detect(other), Language::Other, "{other}");
        }
        // Short French lines without a function word still are French.
        for fr in [
            "Scénario creux, dialogues ridicules, acteurs perdus. À éviter.",
            "Prévisible, facile et absolument pas réaliste, le film offre néanmoins beaucoup de rires.",
        ] {
            assert_eq!(detect(fr), Language::French, "{fr}");
        }
    }

    #[test]
    fn english_and_french_sentences() {
        for en in [
            "A masterpiece, and the best film of the year.",
            "Dull, tedious and far too long.",
            "It doesn't work as a thriller, but the cast is fun.",
        ] {
            assert_eq!(detect(en), Language::English, "{en}");
        }
        for fr in [
            "Un film magnifique, porté par une actrice éblouissante.",
            "C'est long, c'est lent et on s'ennuie ferme.",
            "Le scénario ne tient pas la route et la mise en scène est paresseuse.",
            "Une réussite totale : drôle, émouvant et superbement filmé.",
        ] {
            assert_eq!(detect(fr), Language::French, "{fr}");
        }
        assert_eq!(
            detect("Der Film ist leider viel zu lang und über weite Strecken langweilig."),
            Language::Other
        );
        assert_eq!(detect("Superb."), Language::Unknown);
    }
}
