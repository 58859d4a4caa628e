// The catalogue of hostile file names (R7): every one must raise
// SuspiciousFileOperation from the storage, and give 400 over HTTP.
export const SUSPICIOUS_NAMES: readonly { name: string; why: string }[] = [
  { name: '..', why: 'parent' },
  { name: '../etc/passwd', why: 'leading ..' },
  { name: 'a/../../b', why: 'inner ..' },
  { name: 'a/..', why: 'trailing ..' },
  { name: 'avatars/../../secret', why: 'climbs out past the root' },
  { name: '/etc/passwd', why: 'absolute' },
  { name: '//server/share/x', why: 'UNC-like absolute' },
  { name: 'a\0b.png', why: 'NUL' },
  { name: 'a.png\0.txt', why: 'NUL truncation trick' },
  { name: 'a\nb.png', why: 'newline' },
  { name: 'a\rb.png', why: 'carriage return' },
  { name: 'a\tb', why: 'tab' },
  { name: 'a\u007fb', why: 'DEL' },
  { name: 'a\u0085b', why: 'C1 next line' },
  { name: 'a\u2028b', why: 'line separator' },
  { name: '..\\..\\windows\\win.ini', why: 'backslash traversal' },
  { name: 'a\\b.png', why: 'backslash' },
  { name: 'C:\\Windows\\x', why: 'drive letter with backslash' },
  { name: 'C:/Windows/x', why: 'drive letter' },
  { name: '\uff0e\uff0e/etc/passwd', why: 'fullwidth dots fold to ..' },
  { name: 'a/\u2025/b', why: 'two-dot leader folds to ..' },
  { name: '\uff0fetc/passwd', why: 'fullwidth solidus folds to /' },
  { name: 'a\uff3cb', why: 'fullwidth backslash folds to \\' },
  { name: '', why: 'empty' },
  { name: '.', why: 'current directory' },
  { name: './', why: 'only . and /' },
  { name: 'x'.repeat(1025), why: 'too long' },
  { name: '\uD800.txt', why: 'lone high surrogate (BSON would store U+FFFD)' },
  { name: 'a/\uDC00b.txt', why: 'lone low surrogate' },
  { name: 'photo\uD83D', why: 'high surrogate cut from its pair at the end' },
];

// Names that are safe in the flat layout but would forge a bucket in
// djongo's, where a directory is a bucket suffix: each must raise
// SuspiciousFileOperation there, before any collection is made.
export const BUCKET_SUFFIX_NAMES: readonly { name: string; why: string }[] = [
  { name: 'a.files/x.txt', why: 'directory ending in the files suffix' },
  { name: 'x.chunks/y.bin', why: 'directory ending in the chunks suffix' },
  { name: 'a.b/c.txt', why: 'a dotted directory would be a/b' },
  { name: '.hidden/x', why: 'leading dot makes an empty bucket segment' },
  { name: 'trail./x', why: 'trailing dot makes an empty bucket segment' },
  { name: 'docs/v1.2/notes.txt', why: 'dotted inner directory' },
  { name: '$cmd/x', why: '$ is not allowed in collection names' },
  { name: 'a$b/x', why: 'inner $' },
  { name: '\uff0efiles/x', why: 'fullwidth dot folds to .' },
];
