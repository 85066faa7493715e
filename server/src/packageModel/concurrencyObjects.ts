// The package's channels, Conds, WaitGroups and cancel functions by name, as
// the rules that judge an object by all its uses read them. They now live in
// the one concurrency index (concurrencyIndex); this module keeps the names
// those rules import.
export { packageConcurrency, storedValues, type ConcurrencyObject, type GoStartSite, type ObjectKind, type ObjectOperation, type ObjectUse, type PackageConcurrency } from './concurrencyIndex';
