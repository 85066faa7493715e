// The open documents the client told us about: text, version and syntax tree,
// kept current through incremental edits. Nothing else reads or writes them.
import type { Parser } from 'web-tree-sitter';
import { DocumentTree, type TextChange } from './documentTree';

export interface OpenDocument {
  uri: string;
  version: number;
  tree: DocumentTree;
}

export class OpenDocuments {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly parser: Parser) {}

  open(uri: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const document = { uri, version, tree: DocumentTree.create(this.parser, text) };
    this.documents.set(uri, document);
    return document;
  }

  change(uri: string, version: number, changes: readonly TextChange[]): OpenDocument | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    document.tree.applyChanges(changes);
    document.version = version;
    return document;
  }

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.documents.values()];
  }

  close(uri: string): void {
    this.documents.get(uri)?.tree.dispose();
    this.documents.delete(uri);
  }
}
