//! Page furniture that is not the review: comment forms, post navigation,
//! share prompts, repeated image alt text.
//!
//! Applies to every format, because text copied from a web page carries the
//! same furniture as the page.

use regex::Regex;
use std::sync::LazyLock;

/// Lines from which on nothing belongs to the review (the comment section).
static CUT_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:leave a (?:reply|comment)|post a comment|\d+ (?:comments?|responses?|thoughts? on)\b|comments are closed|join the discussion|add a comment|what do you think\?$)")
        .expect("cut")
});

/// Headings of what a page offers after its text ("related", "read also",
/// "about the author"), in the languages of the pages read: when little
/// follows them, nothing that follows is the text.
static RELATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ix)^(?:
        related(?:\s+(?:posts?|articles?|stories|content|reading))?:?$ | you\s+(?:might|may)\s+(?:also\s+)?(?:like|enjoy) |
        read\s+(?:next|also)\b | more\s+(?:stories|articles|news)\b | recommended(?:\s+(?:for\s+you|articles?|stories))?:?$ |
        latest\s+(?:news|articles|posts|stories)\b | most\s+(?:read|popular|viewed)\b | about\s+the\s+author:?$ |
        mehr\s+zu(?:m)?\s+(?:thema|diesem\s+thema)\b | mehr\s+zu\s+\S | das\s+könnte\s+(?:sie|dich)\s+(?:auch\s+)?interessieren |
        (?:auch|ebenfalls)\s+lesen | lesen\s+sie\s+(?:auch|mehr) | schon\s+gelesen | zum\s+weiterlesen | weiterlesen:?$ |
        neueste\s+(?:artikel|beiträge|meldungen|nachrichten) | weitere\s+(?:artikel|beiträge|meldungen|nachrichten|themen)\b |
        ähnliche\s+(?:artikel|beiträge|themen) | verwandte\s+(?:artikel|beiträge|themen) | empfohlene\s+(?:artikel|beiträge) |
        entdecke\s+weitere | meist\s*-?\s*(?:gelesen|diskutiert) | über\s+den\s+autor:?$ | über\s+die\s+autorin:?$ |
        vous\s+aimerez\s+aussi | (?:à\s+)?lire\s+aussi | sur\s+le\s+même\s+sujet | articles?\s+similaires |
        te\s+puede\s+interesar | (?:noticias|artículos)\s+relacionad[oa]s | lee\s+también | más\s+noticias |
        leggi\s+anche | potrebbe\s+interessarti | articoli\s+correlati |
        czytaj\s+(?:też|także|również) | zobacz\s+(?:też|także|również) |
        (?:weitere|zusätzliche|zusatz)\s*-?\s*informationen\b | zusatzinformationen\b | kontakt:?$ |
        further\s+information:?$ | more\s+information:?$ | contact(?:\s+us)?:?$ |
        we\s+want\s+to\s+hear\s+what\s+you\s+think
    )").expect("related")
});

/// Single lines that are furniture.
static DROP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ix)^(?:
        previous\s+(?:post|article|review|entry)\b | next\s+(?:post|article|review|entry)\b |
        «\s*previous | next\s*» | older\s+posts? | newer\s+posts? |
        share\s+(?:this|on)\b | share:?$ | like\s+this:?$ | tweet$ | pin\s+it$ | email$ | print$ |
        related(?:\s+posts?|\s+articles?)?:?$ | you\s+(?:might|may)\s+(?:also\s+)?like\b | read\s+more\b |
        more\s+from\b | recommended\s+for\s+you | subscribe\b | sign\s+up\b | advertisement$ |
        your\s+email\s+address\s+will\s+not\s+be\s+published | required\s+fields\s+are\s+marked |
        posted\s+in\b | filed\s+under\b | tagged\b | tags:\s | categories:\s | skip\s+to\s+content |
        follow\s+us\b | copyright\b | ©
    )").expect("drop")
});

/// Short lines that are furniture: advertising labels, credits, the
/// prompts around a text.
static DROP_SHORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?ix)^(?:
        -*\s*(?:anzeige|werbung|advertisement|publicidad|pubblicità|publicité|reklama)\s*-*:?$ |
        this\s+entry\s+was\s+posted\b | externer\s+inhalt$ | quellen\s+(?:ausblenden|anzeigen)$ |
        zurück\s+zur\s+(?:liste|listenansicht|übersicht)$ | artikel\s+gefallen\b |
        (?:titelbild|titelfoto|aufmacherbild|bildquelle|fotos?|bilder?|quelle|źródło|fuente|photo\s+credit|image\s+credit|credit)\s*: |
        (?:kommentieren|kommentar\s+schreiben|antworten|reply|comment)$ |
        sie\s+müssen\s+(?:sich\s+)?(?:einloggen|anmelden|eingeloggt|angemeldet) | sie\s+sind\s+(?:aktuell\s+)?nicht\s+(?:eingeloggt|angemeldet) |
        you\s+must\s+be\s+logged\s+in | (?:never|don'?t)\s+miss\b | wir\s+respektieren\s+(?:deine|ihre)\s+privatsphäre |
        [a-z]{2,5}(?:/[a-z]{2,5})*/(?:pap|dpa|afp|reuters|ap|kna|epd|apa|sda|ansa|efe)$
    )").expect("drop short")
});

/// Lines longer than this are text, whatever they begin with.
const MAX_FURNITURE_LINE: usize = 120;

/// Why a line is furniture, if it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// The comment section starts here: drop this line and everything after.
    CommentsFrom,
    /// Navigation, sharing, subscription prompts.
    Line,
    /// What the page offers after its text ("related", "read also"): this
    /// line and everything after.
    RelatedFrom,
    /// The same line twice in a row: image alt text or a caption.
    Repeated,
}

/// Marks each line as furniture or not.
pub fn classify(lines: &[&str]) -> Vec<Option<Furniture>> {
    let mut out = vec![None; lines.len()];
    let mut cut = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if cut {
            out[i] = Some(Furniture::CommentsFrom);
            continue;
        }
        if CUT_FROM.is_match(t) {
            cut = true;
            out[i] = Some(Furniture::CommentsFrom);
        } else if DROP.is_match(t)
            || t.chars().count() <= MAX_FURNITURE_LINE && DROP_SHORT.is_match(t)
        {
            out[i] = Some(Furniture::Line);
        } else if t.chars().count() <= MAX_FURNITURE_LINE && RELATED.is_match(t) {
            out[i] = Some(Furniture::Line);
            // In the page's tail (less follows than a third of what
            // precedes), everything after it is what it offers.
            let before: usize = lines[..i].iter().map(|l| l.len()).sum();
            let after: usize = lines[i + 1..].iter().map(|l| l.len()).sum();
            if after * 3 <= before {
                for o in &mut out[i..] {
                    *o = Some(Furniture::RelatedFrom);
                }
                break;
            }
        }
    }
    for i in 1..lines.len() {
        let (a, b) = (lines[i - 1].trim(), lines[i].trim());
        if a == b && a.chars().count() >= 12 {
            out[i - 1].get_or_insert(Furniture::Repeated);
            out[i].get_or_insert(Furniture::Repeated);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_tail_is_dropped() {
        let lines = [
            "A review paragraph that matters.",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "Previous post KINGDOM OF THE PLANET OF THE APES is Everything",
        ];
        let c = classify(&lines);
        assert_eq!(c[0], None);
        assert!(c[1..].iter().all(|x| *x == Some(Furniture::CommentsFrom)));
    }

    #[test]
    fn what_a_page_offers_after_its_text_is_dropped() {
        let text = "A review paragraph that matters, long enough to outweigh the tail. ".repeat(4);
        let lines = [
            text.as_str(),
            "Das könnte Sie auch interessieren!",
            "Ten films to see this autumn",
            "Our critics' favourite thrillers",
        ];
        let c = classify(&lines);
        assert_eq!(c[0], None);
        assert!(c[1..].iter().all(|x| *x == Some(Furniture::RelatedFrom)));
        // Early in a page, only the heading goes.
        let lines = ["Lesen Sie auch", text.as_str(), "- Anzeige -", "Foto: dpa"];
        let c = classify(&lines);
        assert_eq!(
            c,
            [
                Some(Furniture::Line),
                None,
                Some(Furniture::Line),
                Some(Furniture::Line)
            ]
        );
    }

    #[test]
    fn navigation_and_repeats() {
        let lines = [
            "Close-up of a woman's face, with vibrant lighting.",
            "Close-up of a woman's face, with vibrant lighting.",
            "3",
            "3",
            "Next post ONCE UPON A TIME IN AMERICA",
            "You might like",
            "Tagged drama, thriller",
            "A line about the film that stays.",
        ];
        let c = classify(&lines);
        assert_eq!(c[0], Some(Furniture::Repeated));
        assert_eq!(c[1], Some(Furniture::Repeated));
        assert_eq!(c[2], None, "short repeated lines are not alt text");
        assert_eq!(c[4], Some(Furniture::Line));
        assert_eq!(c[5], Some(Furniture::Line));
        assert_eq!(c[6], Some(Furniture::Line));
        assert_eq!(c[7], None);
    }
}
