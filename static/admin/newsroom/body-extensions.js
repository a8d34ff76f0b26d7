// The story body's own editor extensions (docs/body.md): a table in its frame with a caption,
// a quote with its attribution, a pull quote, a note, a gallery of photos and an embed.
// Each reads and writes exactly the markup the server's sanitiser keeps (articles/sanitise.py
// and articles/body_shapes.py); the server decides, this only offers.
import {
  Node,
  Table as BaseTable,
  mergeAttributes,
  updateAttrsDialog,
} from "django-prose-editor/editor";

// Rules that run before the photo figure's own (which reads every <figure>).
const FIRST = 60;

const captionDialog = updateAttrsDialog(
  {
    caption: {
      title: "Table caption",
      description: "What the table shows, read before it (e.g. “Results in the north ward”).",
    },
  },
  { title: "Caption of this table", submitText: "Save caption" },
);

// The table as the body stores it: <figure class="table"><table><caption>…</caption>…</table>
// </figure>. The server moves a first row of header cells into <thead>.
export const Table = BaseTable.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      caption: {
        default: "",
        parseHTML: (element) => {
          const caption = element.querySelector(":scope > caption");
          return caption ? caption.textContent.trim() : "";
        },
        renderHTML: () => ({}),
      },
    };
  },
  parseHTML() {
    return [
      { tag: "figure.table", skip: true, priority: FIRST },
      { tag: "caption", ignore: true, priority: FIRST },
      ...this.parent(),
    ];
  },
  renderHTML(props) {
    const [tag, attrs, ...children] = this.parent(props);
    const caption = props.node.attrs.caption;
    const table = caption
      ? [tag, attrs, ["caption", {}, caption], ...children]
      : [tag, attrs, ...children];
    return ["figure", { class: "table" }, table];
  },
  addMenuItems(context) {
    this.parent?.(context);
    const { menu, buttons } = context;
    menu.defineItem({
      name: "table:caption",
      groups: "table",
      button: buttons.text("Caption"),
      hidden: (editor) => !editor.isActive("table"),
      command(editor) {
        const current = editor.getAttributes("table").caption || "";
        captionDialog(editor, { caption: current }).then((values) => {
          if (values) {
            editor.chain().focus().updateAttributes("table", { caption: values.caption.trim() }).run();
          }
        });
      },
    });
  },
});

export const QuoteAttribution = Node.create({
  name: "quoteAttribution",
  content: "inline*",
  defining: true,
  parseHTML: () => [{ tag: "figure.quote > figcaption", priority: FIRST }],
  renderHTML: () => ["figcaption", 0],
});

// <figure class="quote"><blockquote>…</blockquote><figcaption>who said it</figcaption></figure>
export const QuoteWithAttribution = Node.create({
  name: "quoteWithAttribution",
  group: "block",
  content: "blockquote quoteAttribution",
  isolating: true,
  parseHTML: () => [{ tag: "figure.quote", priority: FIRST }],
  renderHTML: () => ["figure", { class: "quote" }, 0],
  addExtensions: () => [QuoteAttribution],
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "quoteWithAttribution",
      groups: "nodes",
      button: buttons.text("Quote + who said it"),
      command(editor) {
        editor
          .chain()
          .focus()
          .insertContent({
            type: "quoteWithAttribution",
            content: [
              { type: "blockquote", content: [{ type: "paragraph" }] },
              { type: "quoteAttribution" },
            ],
          })
          .run();
      },
      active: (editor) => editor.isActive("quoteWithAttribution"),
    });
  },
});

function asideNode(name, className, label) {
  return Node.create({
    name,
    group: "block",
    content: "paragraph+",
    defining: true,
    parseHTML: () => [{ tag: `aside.${className}`, priority: FIRST }],
    renderHTML: ({ HTMLAttributes }) => ["aside", mergeAttributes(HTMLAttributes, { class: className }), 0],
    addMenuItems({ menu, buttons }) {
      menu.defineItem({
        name,
        groups: "nodes",
        button: buttons.text(label),
        command(editor) {
          if (editor.isActive(name)) {
            editor.chain().focus().lift(name).run();
          } else {
            editor.chain().focus().wrapIn(name).run();
          }
        },
        active: (editor) => editor.isActive(name),
      });
    },
  });
}

// <aside class="pull-quote">: a line of the story, repeated large.
export const PullQuote = asideNode("pullQuote", "pull-quote", "Pull quote");
// <aside class="note">: an editor's note, a footnote-style box.
export const Note = asideNode("note", "note", "Note");

// <div class="gallery">: photos from the library, side by side.
export const Gallery = Node.create({
  name: "gallery",
  group: "block",
  content: "figure+",
  parseHTML: () => [{ tag: "div.gallery", priority: FIRST }],
  renderHTML: () => ["div", { class: "gallery" }, 0],
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "gallery",
      groups: "nodes",
      button: buttons.text("Gallery"),
      command(editor) {
        if (editor.isActive("gallery")) {
          editor.chain().focus().lift("gallery").run();
        } else {
          editor.chain().focus().wrapIn("gallery").run();
        }
      },
      active: (editor) => editor.isActive("gallery"),
      enabled: (editor) => editor.isActive("gallery") || editor.can().wrapIn("gallery"),
    });
  },
});

const embedDialog = updateAttrsDialog(
  {
    url: {
      title: "Address of the post",
      description:
        "Paste the address of the video, post, chart or map (YouTube, Vimeo, X, Instagram, " +
        "TikTok, Bluesky, Facebook, Spotify, SoundCloud, Datawrapper, Flourish, Google Maps, " +
        "or audio and video from our media library). It is checked when you save.",
      format: "url",
      required: true,
    },
    title: {
      title: "Title for readers",
      description: "What readers see before they choose to load it.",
    },
  },
  { title: "Embed a URL", submitText: "Embed" },
);

// <figure class="embed" data-embed="URL"><a href="URL">title</a></figure>: the address only,
// as data. Readers get a placeholder that loads the provider after a click.
export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes: () => ({
    url: {
      default: "",
      parseHTML: (element) => element.getAttribute("data-embed") || "",
      renderHTML: () => ({}),
    },
    title: {
      default: "",
      parseHTML: (element) => element.textContent.trim(),
      renderHTML: () => ({}),
    },
  }),
  parseHTML: () => [{ tag: "figure.embed", priority: FIRST }],
  renderHTML: ({ node }) => [
    "figure",
    { class: "embed", "data-embed": node.attrs.url },
    ["a", { href: node.attrs.url }, node.attrs.title || node.attrs.url],
  ],
  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      button: buttons.text("Embed a URL"),
      command(editor) {
        const editing = editor.isActive("embed");
        const current = editing ? editor.getAttributes("embed") : { url: "", title: "" };
        embedDialog(editor, current).then((values) => {
          if (!values) {
            return;
          }
          const attrs = { url: values.url.trim(), title: values.title.trim() };
          if (editing) {
            editor.chain().focus().updateAttributes("embed", attrs).run();
          } else {
            editor.chain().focus().insertContent({ type: "embed", attrs }).run();
          }
        });
      },
      active: (editor) => editor.isActive("embed"),
    });
  },
});
