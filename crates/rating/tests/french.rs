//! French ratings: the forms French critics write ("Note : 4/5", "4 étoiles
//! sur 5", "3,5 sur 5"), Allociné's grades ("Très bien") where a rating is
//! expected, and French prose that holds none.

mod support;

use support::raws;
use verdict_core::Confidence;
use verdict_rating::{find_in_text, read};

#[test]
fn french_rating_strings_are_read() {
    let cases: &[(&str, f64, &str)] = &[
        ("Note : 4/5", 80.0, "x/5"),
        ("Note: 4/5", 80.0, "x/5"),
        ("Note\u{202F}: 4/5", 80.0, "x/5"),
        ("Note\u{A0}: 4/5", 80.0, "x/5"),
        ("Note : 4,5/5", 90.0, "x/5"),
        ("Ma note : 8/10", 80.0, "x/10"),
        ("Notre note : 7/10", 70.0, "x/10"),
        ("Note globale : 3/5", 60.0, "x/5"),
        ("Note finale : 16/20", 80.0, "x/20"),
        ("Cote : ★★★★☆", 80.0, "stars/5"),
        ("4/5 étoiles", 80.0, "x/5"),
        ("4 étoiles sur 5", 80.0, "stars/5"),
        ("4 Étoiles sur 5", 80.0, "stars/5"),
        ("3,5 sur 5", 70.0, "x/5"),
        ("3,5 étoiles sur 5", 70.0, "stars/5"),
        ("8 sur 10", 80.0, "x/10"),
        ("quatre étoiles sur cinq", 80.0, "stars/5"),
        ("3 étoiles et demie sur 5", 70.0, "stars/5"),
        ("une étoile sur 5", 20.0, "stars/5"),
        ("★★★★☆", 80.0, "stars/5"),
    ];
    for (input, score, scale) in cases {
        let r = read(input);
        let r = r
            .rating()
            .unwrap_or_else(|| panic!("{input:?} refused: {:?}", r.refusal()));
        assert!((r.score - score).abs() < 0.01, "{input:?}: {}", r.score);
        assert_eq!(r.scale, *scale, "{input:?}");
    }
}

#[test]
fn allocine_grades_are_read_as_their_stars() {
    let cases: &[(&str, f64)] = &[
        ("Chef-d'œuvre", 100.0),
        ("Chef-d'oeuvre", 100.0),
        ("Chef d'œuvre", 100.0),
        ("chef-d’œuvre", 100.0),
        ("Excellent", 90.0),
        ("Très bien", 80.0),
        ("TRÈS BIEN", 80.0),
        ("Tres bien", 80.0),
        ("Bien", 70.0),
        ("Pas mal", 60.0),
        ("Moyen", 50.0),
        ("Pas terrible", 40.0),
        ("Mauvais", 30.0),
        ("Très mauvais", 20.0),
        ("Nul", 10.0),
        ("Note : Très bien", 80.0),
        ("« Pas mal »", 60.0),
    ];
    for (input, score) in cases {
        let r = read(input);
        let r = r
            .rating()
            .unwrap_or_else(|| panic!("{input:?} refused: {:?}", r.refusal()));
        assert_eq!(r.score, *score, "{input:?}");
        assert_eq!(r.scale, "allocine", "{input:?}");
        assert_eq!(r.best, 5.0);
        assert_eq!(r.worst, 0.0);
        assert_eq!(r.confidence, Confidence::Medium, "{input:?}");
    }
    for refused in ["Bien joué", "Pas si mal", "Très très bien", "bof"] {
        assert!(read(refused).refusal().is_some(), "{refused:?} read");
    }
}

#[test]
fn french_ratings_are_found_in_text() {
    let cases: &[(&str, &str, f64)] = &[
        ("Note : 4/5", "Note : 4/5", 80.0),
        ("Note\u{202F}: 4/5", "Note\u{202F}: 4/5", 80.0),
        ("**Note :** 3,5/5", "Note :** 3,5/5", 70.0),
        ("Ma note : 8/10.", "Ma note : 8/10", 80.0),
        ("Note globale : 3/5", "Note globale : 3/5", 60.0),
        ("Cote : ★★★½", "Cote : ★★★½", 87.5),
        ("Note : Très bien", "Note : Très bien", 80.0),
        ("Note : Chef-d'œuvre !", "Note : Chef-d'œuvre", 100.0),
        ("<b>Note :</b> Pas mal.", "Note :</b> Pas mal", 60.0),
        ("4 étoiles sur 5", "4 étoiles sur 5", 80.0),
        ("4/5 étoiles", "4/5", 80.0),
        ("3,5 sur 5", "3,5 sur 5", 70.0),
        (
            "Au final, je lui donne 4 étoiles sur 5.",
            "4 étoiles sur 5",
            80.0,
        ),
        ("Le film mérite un solide 8/10.", "8/10", 80.0),
        (
            "Je lui donne trois étoiles et demie sur cinq pour son audace.",
            "trois étoiles et demie sur cinq",
            70.0,
        ),
    ];
    for (text, raw, score) in cases {
        let text = format!("Un film lent.\n\n{text}\n\nÀ voir en salle.");
        assert_eq!(raws(&text), vec![(raw.to_string(), *score)], "{text:?}");
    }
}

#[test]
fn french_prose_holds_no_rating() {
    let texts = [
        // grades in prose are words, not ratings
        "Le film est très bien filmé, et c'est bien là son problème.",
        "Pas mal de spectateurs sont sortis avant la fin.",
        "Un chef-d'œuvre ? Pas terrible, plutôt.",
        "Très bien",
        "Bien.",
        "Note de la rédaction : très bien, mais le public n'a pas suivi le film.",
        // counts, times and dates
        "Réalisé par Ariane Louis-Seize, le film dure 1 h 32 et sort le 06/09/2024.",
        "Trois sur cinq des personnages meurent avant la fin.",
        "Les spectateurs lui donnent 4 étoiles sur 5.",
        "Je ne lui donnerais pas 4 étoiles sur 5.",
        "Entre 3 et 4 étoiles, selon l'humeur.",
        "Note : 3 heures de film, c'est long.",
        "Le film a été vu par 4 sur 5 personnes interrogées.",
        "Un film de 2023, sorti sur 250 écrans.",
    ];
    for t in texts {
        let found = find_in_text(t);
        assert!(found.is_empty(), "{t:?} -> {found:?}");
    }
}
