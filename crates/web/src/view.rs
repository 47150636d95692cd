//! Formatting for the pages: numbers, bands, dates and the inline SVG
//! charts. Everything here returns text that the templates escape, except
//! the SVG and JSON-LD builders, which escape what they embed themselves.

use std::fmt::Write;

use chrono::NaiveDate;

/// The band of a 0–100 score (Metacritic's), the same rule as the
/// aggregate's.
pub fn band(score: f64) -> &'static str {
    verdict_aggregate::band(score)
}

/// What a band means, in words.
pub fn band_words(band: &str) -> &'static str {
    match band {
        "acclaim" => "Universal acclaim",
        "favourable" => "Generally favourable",
        "mixed" => "Mixed or average",
        "unfavourable" => "Generally unfavourable",
        "dislike" => "Overwhelming dislike",
        _ => "",
    }
}

/// A number with at most one decimal, without a trailing ".0".
pub fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// "1 review", "5 reviews", "1,000,000 reviews".
pub fn count(n: impl Into<u64>, word: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", thousands(n))
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A score as shown in a badge: rounded to a whole number.
pub fn whole(x: f64) -> String {
    format!("{:.0}", x.round())
}

/// A signed offset in points ("+4.2", "−3.1", "0").
pub fn signed(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r > 0.0 {
        format!("+{}", num(r))
    } else if r < 0.0 {
        format!("−{}", num(-r))
    } else {
        "0".to_string()
    }
}

/// 2024-09-06 → "6 Sep 2024".
pub fn date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// How a source that is not a link is shown: its file name.
pub fn source_name(source: &str) -> String {
    std::path::Path::new(source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_string())
}

/// Whether a review's source can be linked to.
pub fn is_web(source: &str) -> bool {
    verdict_fetch::is_url(source)
}

/// The first `max` characters of a text, cut at a word, with "…" when cut;
/// whitespace runs collapsed.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Escapes text for XML and HTML (element content and quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside `<script type="application/ld+json">`: `<`, `>` and
/// `&` written as `\u` escapes, so no text can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The ten-bin histogram of scores as an inline SVG bar chart, each bar in
/// the colour of its band.
pub fn histogram_svg(hist: &[usize]) -> String {
    let max = hist.iter().copied().max().unwrap_or(0).max(1);
    let (w, h, top, bottom) = (420.0, 150.0, 16.0, 20.0);
    let plot = h - top - bottom;
    let bar = w / 10.0;
    let mut svg = String::new();
    let total: usize = hist.iter().sum();
    let _ = write!(
        svg,
        r#"<svg class="histogram" viewBox="0 0 {w} {h}" role="img" aria-labelledby="hist-title"><title id="hist-title">Scores of {total} reviews in ten bins of 10 points</title>"#
    );
    for (i, &n) in hist.iter().enumerate().take(10) {
        let x = i as f64 * bar;
        let bh = if n == 0 {
            0.0
        } else {
            (plot * n as f64 / max as f64).max(2.0)
        };
        let y = top + plot - bh;
        let mid = i as f64 * 10.0 + 5.0;
        let _ = write!(
            svg,
            r#"<rect class="bar b-{band}" x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}" rx="2" data-bin="{i}" data-count="{n}"><title>{lo}–{hi}: {n}</title></rect>"#,
            band = band(mid),
            x = x + 3.0,
            bw = bar - 6.0,
            lo = i * 10,
            hi = if i == 9 { 100 } else { i * 10 + 9 },
        );
        if n > 0 {
            let _ = write!(
                svg,
                r#"<text class="count" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{n}</text>"#,
                cx = x + bar / 2.0,
                ty = y - 4.0,
            );
        }
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="0" y1="{y}" x2="{w}" y2="{y}"/>"#,
        y = top + plot
    );
    for t in [0, 20, 40, 60, 80, 100] {
        let x = t as f64 * w / 100.0;
        let anchor = match t {
            0 => "start",
            100 => "end",
            _ => "middle",
        };
        let _ = write!(
            svg,
            r#"<text class="tick" x="{x:.1}" y="{y:.1}" text-anchor="{anchor}">{t}</text>"#,
            y = h - 4.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A 0–100 scale with a value and its 95 % interval, as an inline SVG.
pub fn interval_svg(value: f64, lo: f64, hi: f64, class: &str) -> String {
    let (w, h, inset) = (300.0, 22.0, 8.0);
    let x = |v: f64| inset + v.clamp(0.0, 100.0) * (w - 2.0 * inset) / 100.0;
    format!(
        r#"<svg class="interval {class}" viewBox="0 0 {w} {h}" role="img" aria-label="{value} with a 95 % interval from {lo} to {hi}"><rect class="track" x="{inset}" y="8" width="{tw}" height="6" rx="3"/><rect class="range" x="{x0:.1}" y="5" width="{rw:.1}" height="12" rx="6"/><circle class="point" cx="{xv:.1}" cy="11" r="6"/></svg>"#,
        tw = w - 2.0 * inset,
        value = num(value),
        lo = num(lo),
        hi = num(hi),
        x0 = x(lo),
        rw = (x(hi) - x(lo)).max(2.0),
        xv = x(value),
    )
}

/// The counts of positive, mixed and negative reviews as one stacked bar.
pub fn split_svg(positive: usize, mixed: usize, negative: usize) -> String {
    let total = (positive + mixed + negative).max(1) as f64;
    let w = 300.0;
    let mut x = 0.0;
    let mut svg = format!(
        r#"<svg class="split" viewBox="0 0 {w} 14" preserveAspectRatio="none" role="img" aria-label="{positive} positive, {mixed} mixed, {negative} negative">"#
    );
    for (n, class) in [
        (positive, "v-positive"),
        (mixed, "v-mixed"),
        (negative, "v-negative"),
    ] {
        if n == 0 {
            continue;
        }
        let bw = w * n as f64 / total;
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x:.1}" y="0" width="{bw:.1}" height="14"/>"#
        );
        x += bw;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates() {
        assert_eq!(num(100.0), "100");
        assert_eq!(num(66.66), "66.7");
        assert_eq!(signed(-3.04), "−3");
        assert_eq!(signed(4.25), "+4.3");
        assert_eq!(
            date(NaiveDate::from_ymd_opt(2024, 9, 6).unwrap()),
            "6 Sep 2024"
        );
        assert_eq!(count(1u64, "film"), "1 film");
        assert_eq!(count(1_000_000u64, "review"), "1,000,000 reviews");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(20_000), "20,000");
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("a  b\n c", 10), "a b c");
        assert_eq!(excerpt("one two three four", 12), "one two…");
    }

    #[test]
    fn script_json_cannot_close_the_element() {
        let v = serde_json::json!({"name": "</script><script>alert(1)</script>"});
        let s = script_json(&v);
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn svg_bars_follow_the_counts_and_bands() {
        let svg = histogram_svg(&[0, 0, 0, 0, 0, 1, 0, 0, 2, 2]);
        assert_eq!(svg.matches("<rect").count(), 10);
        assert!(svg.contains(r#"class="bar b-acclaim""#));
        assert!(svg.contains(r#"data-bin="8" data-count="2""#));
        assert!(svg.contains(r#"data-bin="5" data-count="1""#));
    }
}
