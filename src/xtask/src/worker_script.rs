//! The search worker's script as the site serves it: the search package's JavaScript (wasm-pack's ES
//! module) written into the same file, ahead of the worker's own code (`public/search-worker.js`).
//!
//! A module worker that imports the package asks for it only once its own script has arrived and run: one
//! round trip on a phone's network before the first search can even ask for the index. In one file, the
//! script and the package travel together, and the page fetches the package's wasm in that same round (it
//! hands it to the worker). The package's `export` statements become one object, `sahifaSearchPackage`,
//! which the worker's code uses when it is there and imports the package's file when it is not (a page
//! served without this step). The package's own file stays in the site for pages that import it.

/// The name the package's exports are gathered under, which `public/search-worker.js` looks for.
pub const PACKAGE_OBJECT: &str = "sahifaSearchPackage";

/// `package` (an ES module as wasm-bindgen writes it for `--target web`) with its exports gathered into
/// `PACKAGE_OBJECT`, followed by `worker`. Refuses a module with imports or an export it does not know how to
/// rewrite, so a new wasm-bindgen that writes its module differently stops the build instead of shipping a
/// worker that fails in the browser.
pub fn combine(package: &str, worker: &str) -> Result<String, String> {
    let mut body = String::with_capacity(package.len() + worker.len() + 256);
    // Each export as `name: local`.
    let mut exported: Vec<(String, String)> = Vec::new();
    for (number, line) in package.lines().enumerate() {
        let at = || format!("the search package's line {}: {line}", number + 1);
        if line.starts_with("import ") || line.starts_with("import{") {
            return Err(format!("{} (an import cannot be written into the worker's script)", at()));
        }
        let Some(rest) = line.strip_prefix("export ") else {
            body.push_str(line);
            body.push('\n');
            continue;
        };
        if let Some(list) = rest.strip_prefix('{') {
            let list = list.trim_end().strip_suffix(';').unwrap_or(list).trim_end().strip_suffix('}').ok_or_else(|| format!("{} (an export list on more than one line)", at()))?;
            for item in list.split(',').map(str::trim).filter(|item| !item.is_empty()) {
                let (local, name) = match item.split_once(" as ") {
                    Some((local, name)) => (local.trim(), name.trim()),
                    None => (item, item),
                };
                if !is_identifier(local) || !is_identifier(name) {
                    return Err(format!("{} (an export it cannot read: {item})", at()));
                }
                exported.push((name.to_owned(), local.to_owned()));
            }
            continue;
        }
        match declared_name(rest, EXPORTED_DECLARATIONS) {
            Some(name) => {
                exported.push((name.clone(), name));
                body.push_str(rest);
                body.push('\n');
            }
            _ => return Err(format!("{} (an export it cannot rewrite)", at())),
        }
    }
    if exported.is_empty() {
        return Err("the search package exports nothing".into());
    }
    // One module scope now holds both: a name declared twice would stop the worker with a SyntaxError.
    let package_names = top_level_names(&body);
    if let Some(clash) = top_level_names(worker).into_iter().find(|name| package_names.contains(name) || name == PACKAGE_OBJECT) {
        return Err(format!("the search worker's script and the search package both declare `{clash}`"));
    }
    let fields: Vec<String> = exported.iter().map(|(name, local)| if name == local { name.clone() } else { format!("{name}: {local}") }).collect();
    body.push_str(&format!("const {PACKAGE_OBJECT} = Object.freeze({{ {} }});\n\n", fields.join(", ")));
    body.push_str(worker);
    Ok(body)
}

/// The names a script declares at its top level (lines that start with a declaration).
fn top_level_names(script: &str) -> Vec<String> {
    script.lines().filter_map(|line| declared_name(line, DECLARATIONS)).collect()
}

/// The declarations whose `export` the build knows how to take off.
const EXPORTED_DECLARATIONS: &[&str] = &["class ", "function ", "async function ", "const ", "let "];
const DECLARATIONS: &[&str] = &["class ", "function ", "async function ", "const ", "let ", "var "];

/// The name `line` declares, if it starts with one of `keywords` and a name.
fn declared_name(line: &str, keywords: &[&str]) -> Option<String> {
    let after = keywords.iter().find_map(|keyword| line.strip_prefix(keyword))?;
    let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
    is_identifier(&name).then_some(name)
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$') && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape wasm-bindgen 0.2 writes for `--target web`, cut down.
    const PACKAGE: &str = "/* @ts-self-types=\"./pkg.d.ts\" */\n\nexport class Archive {\n    static open() { return 1; }\n}\nexport function version() { return 'x'; }\nlet wasm;\nfunction initSync(module) { return module; }\nasync function __wbg_init(module_or_path) { return module_or_path; }\n\nexport { initSync, __wbg_init as default };\n";

    #[test]
    fn exports_become_one_object_ahead_of_the_worker_code() {
        let combined = combine(PACKAGE, "self.onmessage = () => {};\n").unwrap();
        assert!(!combined.lines().any(|line| line.starts_with("export")), "{combined}");
        assert!(combined.contains("class Archive {\n    static open()"));
        assert!(combined.contains("function version()"));
        assert!(combined.contains("const sahifaSearchPackage = Object.freeze({ Archive, version, initSync, default: __wbg_init });"), "{combined}");
        assert!(combined.ends_with("self.onmessage = () => {};\n"));
        // The package comes first, so the worker's code finds the object declared.
        assert!(combined.find("sahifaSearchPackage").unwrap() < combined.find("self.onmessage").unwrap());
    }

    #[test]
    fn a_module_it_cannot_rewrite_stops_the_build() {
        for package in [
            "import { x } from './other.js';\nexport { x };\n",
            "export default function () {}\n",
            "export * from './other.js';\n",
            "export {\n  a,\n};\n",
            "export { a as 'b c' };\n",
            "let a;\n",
        ] {
            assert!(combine(package, "").is_err(), "{package}");
        }
    }

    #[test]
    fn a_name_both_declare_stops_the_build() {
        assert!(combine(PACKAGE, "let wasm = 1;\n").unwrap_err().contains("`wasm`"));
        assert!(combine(PACKAGE, "function initSync() {}\n").is_err());
        assert!(combine(PACKAGE, "const sahifaSearchPackage = 1;\n").is_err());
        assert!(combine(PACKAGE, "const archives = new Map();\n").is_ok());
    }
}
