/**
 * A typedoc plugin that puts each export of the API reference in the category of the source
 * directory that defines it (src/core → Futures, src/executor → Tasks, …), so the reference
 * reads by concept instead of as one alphabetical list, and nobody has to hand-tag a hundred
 * exports with `@category`. An explicit `@category` tag still wins.
 *
 * An export defined in a directory this table does not know is reported as a warning, which
 * `treatWarningsAsErrors` turns into a failed `npm run docs`: a new layer must be given its
 * category here.
 */
import { relative, sep } from "node:path";
import { Comment, CommentTag, Converter, ReflectionKind } from "typedoc";

/** Category of each top-level directory of src/, in the order the reference shows them. */
export const categoryOfDirectory = {
  core: "Futures",
  executor: "Tasks",
  combinators: "Combinators",
  time: "Time",
  sync: "Sync",
  streams: "Streams",
  stream: "Streams",
  blocking: "Blocking",
  services: "Services",
  service: "Services",
  node: "Node",
  testing: "Testing",
};

/** @param {import("typedoc").Application} app */
export function load(app) {
  /** Source file of each reflection, by reflection id, noted while the converter still knows. */
  const fileOf = new Map();

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.Module)) return;
    let symbol = context.getSymbolFromReflection(reflection);
    if (symbol === undefined) return;
    if (symbol.flags & 2097152 /* ts.SymbolFlags.Alias */) {
      symbol = context.checker.getAliasedSymbol(symbol);
    }
    const file = symbol.declarations?.[0]?.getSourceFile().fileName;
    if (file !== undefined) fileOf.set(reflection.id, file);
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const root = `${process.cwd()}${sep}src${sep}`;
    for (const [id, file] of fileOf) {
      const reflection = context.project.getReflectionById(id);
      if (reflection === undefined) continue;
      const path = relative(root, file);
      const directory = path.split(sep)[0] ?? "";
      const category = categoryOfDirectory[directory];
      if (category === undefined) {
        app.logger.warn(
          `typedoc-categories: ${reflection.getFullName()} comes from ${path}; give src/${directory} a category in scripts/typedoc-categories.mjs`,
        );
        continue;
      }
      tag(reflection, category);
    }
  });
}

/** Adds `@category name` to the comment typedoc reads categories from, unless it has one. */
function tag(reflection, name) {
  const comments = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)];
  if (comments.some((c) => c?.blockTags.some((t) => t.tag === "@category"))) return;
  reflection.comment ??= new Comment();
  reflection.comment.blockTags.push(new CommentTag("@category", [{ kind: "text", text: name }]));
}
