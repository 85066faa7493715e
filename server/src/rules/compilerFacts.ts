// Descriptions of the facts the Go compiler reports (escape analysis,
// inlining, bounds and nil checks, defer allocation): the compiler finds
// them, these texts explain them. Rule ids match compiler/factToFinding.ts
// (its kindPresentation is the source of each presentation below; a test keeps
// them equal). The findings keep the compiler's own message, so `messages` is
// empty: only titles and explanations are ours.
//
// The Go examples were checked against go1.26's `-gcflags=-m` output; the
// explanations avoid promising exact thresholds beyond what the current
// compiler source states, because they change between releases.
import type { RuleDescription, RuleExample } from './rule';

const faqStackOrHeap = 'https://go.dev/doc/faq#stack_or_heap';
const gcGuideHeap = 'https://go.dev/doc/gc-guide#Eliminating_heap_allocations';
const compilerOptimizations = 'https://go.dev/wiki/CompilerOptimizations';

/** Markdown from lines: keeps each explanation readable in source. */
const md = (...lines: string[]): string => lines.join('\n');

const movedToHeap: RuleDescription = {
  id: 'escape/moved-to-heap',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: faqStackOrHeap,
  example: {
    before: [
      'func NewUser(name string) *User {',
      '\tu := User{Name: name}',
      '\treturn &u',
      '}',
    ].join('\n'),
    after: [
      'func NewUser(name string) User {',
      '\treturn User{Name: name}',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Variable moved to the heap',
      messages: {},
      exampleComments: {
        before: 'u outlives NewUser, so every call allocates it on the heap',
        after: 'return the value; the caller decides where it lives',
      },
      explanation: md(
        'The compiler\'s escape analysis found that this variable may still be referenced after its function returns — its address is returned or stored somewhere longer-lived, its address is passed to a function that keeps its parameter (`leaking param`; in the flow, a `call parameter` step: a method with a pointer receiver such as `wg.Add` counts too), a closure that outlives the call captured it by reference, or it is too large for a stack frame. So it is not placed in the stack frame: every call allocates it on the heap, and the code reaches it through a pointer.',
        '',
        '**Why it matters:** a stack variable costs nothing to create or free. A heap variable costs an allocation on each call and later work for the garbage collector, which has to find it and reclaim it. In code that runs once this is irrelevant; in a hot loop or a request handler it adds up to allocation rate and GC CPU time.',
        '',
        '**Usual remedies** (the flow under the message says which one applies):',
        '- return the value itself instead of `&local`; copying a small struct is cheap;',
        '- let the caller pass in a pointer to fill (`func (u *User) Reset(name string)`), so the memory belongs to the caller, who may keep it on its own stack;',
        '- do not keep pointers to locals in globals, long-lived structs, channels or goroutines; store a copy of the value instead;',
        '- for a closure, capture a variable that is never reassigned (see `escape/captured-by-reference`);',
        '- for a very large array, use a slice or reuse one buffer (see `too large for stack` in the flow).',
        '',
        'Small constructors are often inlined: at the call site the value may then stay on the caller\'s stack even though the function itself reports `moved to heap`.',
      ),
    },
    'zh-cn': {
      title: '变量逃逸到堆上（moved to heap）',
      messages: {},
      exampleComments: {
        before: 'u 的生命周期超出了 NewUser，每次调用都在堆上分配',
        after: '返回值本身，由调用方决定它放在哪里',
      },
      explanation: md(
        '编译器的逃逸分析发现，这个变量在函数返回后仍可能被引用：它的地址被返回或存到了生命周期更长的地方、被传给了一个会保留该参数的函数（`leaking param`；逃逸路径中对应 `call parameter` 这一步，像 `wg.Add` 这样的指针接收者方法也算）、被一个活得比这次调用更久的闭包按引用捕获，或者它太大放不进栈帧。因此它不会分配在栈帧里：每次调用都会在堆上为它分配内存，代码通过指针访问它。',
        '',
        '**影响**：栈上的变量创建和释放都几乎没有开销；堆上的变量每次调用都要一次堆分配，之后还要由垃圾回收器（GC）找到并回收。只执行一次的代码无所谓，但在热点循环或请求处理函数里，这会直接推高分配速率和 GC 的 CPU 占用。',
        '',
        '**常见的解决办法**（消息下方的逃逸路径会说明是哪种情况）：',
        '- 直接返回值而不是 `&local`，小结构体的拷贝很便宜；',
        '- 让调用方传入一个指针来填充（如 `func (u *User) Reset(name string)`），内存归调用方所有，调用方可以把它留在自己的栈上；',
        '- 不要把指向局部变量的指针存进全局变量、长生命周期的结构体、通道或其他 goroutine，改为保存值的副本；',
        '- 对于闭包，只捕获不会被重新赋值的变量（参见 `escape/captured-by-reference`）；',
        '- 对于很大的数组，改用切片或复用同一块缓冲区（逃逸路径中会出现 `too large for stack`）。',
        '',
        '小的构造函数往往会被内联：即使函数本身报告 `moved to heap`，在调用处这个值也可能留在调用方的栈上。',
      ),
    },
  },
};

const escapesToHeap: RuleDescription = {
  id: 'escape/escapes-to-heap',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: gcGuideHeap,
  example: {
    before: [
      'func label(n int) string {',
      '\treturn fmt.Sprint("item-", n)',
      '}',
    ].join('\n'),
    after: [
      'func label(n int) string {',
      '\treturn "item-" + strconv.Itoa(n)',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Value escapes to the heap',
      messages: {},
      exampleComments: {
        before: '"item-" and n are converted to interfaces for fmt.Sprint',
        after: 'no interface conversions; at most two small string allocations',
      },
      explanation: md(
        'The value this expression creates is allocated on the heap: a composite literal such as `&T{…}`, a `new` or `make`, the storage behind a value converted to an interface, the growing backing array of an `append` (go1.25+ reports it as `append escapes to heap`), a string built at run time. Escape analysis could not prove that nothing refers to it after the function returns.',
        '',
        'The compiler prints the same verdict for constants converted to an interface (`"item-" escapes to heap`) and for zero-sized values: those point to static data and allocate nothing, so the heap code lens does not count constants.',
        '',
        '**At run time** each evaluation calls the allocator, and the garbage collector must later trace and free the memory. One allocation is cheap; millions per second are not.',
        '',
        '**The usual causes and remedies:**',
        '- *interface conversion*: passing a concrete value as `any` or another interface (e.g. `fmt.Println(n)`, `log.Printf`) copies the value to the heap, except in cases the compiler and runtime special-case (pointers, which are stored in the interface as they are, constants, zero-sized values, some small integers). In hot paths use typed APIs: `strconv.AppendInt`, `strings.Builder`, methods on concrete types, generics instead of `any` (for operations that are not method calls on the type parameter: those stay dynamic calls, and their arguments can still escape);',
        '- *`...` arguments*: a variadic call builds a slice of its arguments; with `...any` every argument is also converted to an interface;',
        '- *append growth*: preallocate with `make([]T, 0, n)` when the size is known, and reuse buffers (`buf = buf[:0]`, `sync.Pool`) instead of building new ones;',
        '- *`make` with a size known only at run time* (reported here by go1.22–1.24; since go1.25 a `make` of run-time size that does not outlive the function is reported as `does not escape`, and only its backing arrays above 32 bytes go to the heap) or larger than the stack limit: a constant, small capacity can stay on the stack;',
        '- *returned or stored pointers*: return values, not pointers, for small structs.',
      ),
    },
    'zh-cn': {
      title: '值逃逸到堆上',
      messages: {},
      exampleComments: {
        before: '为了调用 fmt.Sprint，"item-" 和 n 都被转换为接口',
        after: '没有接口转换，最多两次小字符串分配',
      },
      explanation: md(
        '这个表达式创建的值被分配在堆上：可能是 `&T{…}` 这样的复合字面量、`new` 或 `make`、值转换为接口时背后的存储、`append` 扩容时新建的底层数组（go1.25 起报告为 `append escapes to heap`），或运行时拼出的字符串。逃逸分析无法证明函数返回后没有任何地方再引用它。',
        '',
        '常量转换为接口（`"item-" escapes to heap`）和零大小的值也会得到同样的结论，但它们指向的是静态数据，实际上不分配内存，所以堆分配的代码透镜不统计常量。',
        '',
        '**运行时开销**：每次求值都要调用内存分配器，之后还要由 GC 扫描并回收这块内存。单次分配开销很小，但每秒上百万次就不容忽视了。',
        '',
        '**常见原因与解决办法**：',
        '- **接口转换**：把具体类型的值当作 `any` 或其他接口传递（例如 `fmt.Println(n)`、`log.Printf`）时，值会被拷贝到堆上。编译器和运行时特殊处理的情况除外：指针直接存入接口，不做拷贝；常量、零大小的值和部分小整数也不分配。热点路径上请使用有类型的 API：`strconv.AppendInt`、`strings.Builder`、具体类型上的方法，或者用泛型代替 `any`（但在类型参数上调用方法仍是动态调用，参数依然可能逃逸）；',
        '- **`...` 可变参数**：可变参数调用会为实参创建一个切片；如果是 `...any`，每个实参还要转换为接口；',
        '- **append 扩容**：已知大小时用 `make([]T, 0, n)` 预分配容量，并复用缓冲区（`buf = buf[:0]`、`sync.Pool`），不要每次都新建；',
        '- **大小要到运行时才知道的 `make`**（go1.22–1.24 在这里报告；从 go1.25 起，不超出函数生命周期的这类 `make` 报告为 `does not escape`，只有超过 32 字节的底层数组才分配到堆上），或超过栈上限的 `make`：容量是较小的常量时可以留在栈上；',
        '- **被返回或被保存的指针**：小结构体直接返回值，而不是指针。',
      ),
    },
  },
};

const funcLiteralEscapes: RuleDescription = {
  id: 'escape/func-literal-escapes',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Function_literals',
  example: {
    before: [
      'func counter() func() int {',
      '\tcount := 0',
      '\treturn func() int { count++; return count }',
      '}',
    ].join('\n'),
    after: [
      'type Counter struct{ n int }',
      '',
      'func (c *Counter) Next() int { c.n++; return c.n }',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Closure escapes to the heap',
      messages: {},
      exampleComments: {
        before: 'each counter is a heap-allocated closure, and count moves to the heap with it',
        after: 'a plain type; the caller decides where it lives',
      },
      explanation: md(
        'A function literal that refers to variables of the enclosing function is a closure: a small object holding the code pointer and the captured variables (copies, or pointers to variables captured by reference). This closure outlives the function that creates it — it is returned, stored in a struct, a map or a global, started with `go`, or passed to a function that keeps it — so that object is allocated on the heap each time the literal is evaluated. Variables it captures by reference move to the heap too.',
        '',
        'A literal that captures nothing is a static value: the compiler still prints this verdict, but nothing is allocated, and the heap code lens does not count it.',
        '',
        '**Why it matters:** one or more allocations per evaluation, which is noticeable when the literal sits in a loop or a hot function. A closure that is only called locally, or passed to a function the compiler can see does not keep it (often an inlined one), costs nothing extra.',
        '',
        '**Usual remedies:**',
        '- create the closure once, outside the loop, and reuse it;',
        '- pass data as arguments instead of capturing it;',
        '- use a method on a small struct instead of a closure that carries state;',
        '- avoid registering callbacks on hot paths.',
      ),
    },
    'zh-cn': {
      title: '闭包逃逸到堆上',
      messages: {},
      exampleComments: {
        before: '每个计数器都是堆上分配的闭包，count 也随之逃逸到堆上',
        after: '一个普通类型，由调用方决定它放在哪里',
      },
      explanation: md(
        '引用了外层函数变量的函数字面量就是闭包：它是一个小对象，保存代码指针和被捕获的变量（值的副本，或按引用捕获时变量的地址）。这个闭包的生命周期超出了创建它的函数——它被返回、存进结构体、map 或全局变量、用 `go` 启动，或传给了会保留它的函数——因此每次对这个字面量求值，都会在堆上分配这个对象。按引用捕获的变量也会随之逃逸到堆上。',
        '',
        '不捕获任何变量的函数字面量是静态值：编译器照样给出这个结论，但实际上不分配内存，堆分配的代码透镜也不统计它。',
        '',
        '**影响**：每次求值至少一次堆分配，字面量位于循环或热点函数中时尤其明显。只在本地调用的闭包，或传给编译器能确认不会保留它的函数（通常是被内联的函数）时，没有额外开销。',
        '',
        '**常见的解决办法**：',
        '- 在循环外创建一次闭包并重复使用；',
        '- 通过参数传递数据，而不是捕获变量；',
        '- 用小结构体上的方法代替携带状态的闭包；',
        '- 避免在热点路径上注册回调。',
      ),
    },
  },
};

const leakingParam: RuleDescription = {
  id: 'escape/leaking-param',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: faqStackOrHeap,
  example: {
    before: [
      'var last *Config',
      '',
      'func remember(p *Config) { last = p }',
    ].join('\n'),
    after: [
      'var lastConfig Config',
      '',
      'func remember(p *Config) { lastConfig = *p }',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Parameter leaks',
      messages: {},
      exampleComments: {
        before: 'p is kept in a global, so every caller\'s &cfg is moved to the heap',
        after: 'keep a copy; callers\' configs can stay on their stacks',
      },
      explanation: md(
        'The pointer (or slice, map, channel, interface, string) passed in this parameter flows somewhere that outlives the call: a global, a heap object, a goroutine, or a call the compiler cannot see into, such as a method called through an interface. Nothing is allocated here; the cost lands on the callers.',
        '',
        '**At run time:** the compiler records the leak in the function\'s signature summary. Wherever the function is called with the address of a local (`f(&x)`, `f(buf[:])`), that local must be allocated on the heap, because the function may keep it. Inlining helps only where the body, seen at the call site, turns out not to keep it: an interface call that becomes a direct one there, say; a store into a global still moves the local to the heap.',
        '',
        '**Usual remedies:**',
        '- keep a copy of the value (`*p`) instead of the pointer;',
        '- if only part of the data is needed later, copy that part;',
        '- in hot code, prefer concrete types over interfaces for parameters the callee passes on (a call through an interface makes its arguments leak);',
        '- if keeping the pointer is the purpose of the function (registering, caching), the leak is expected: make sure callers pass long-lived values.',
      ),
    },
    'zh-cn': {
      title: '参数泄漏',
      messages: {},
      exampleComments: {
        before: 'p 被保存到全局变量，每个调用方的 &cfg 都会逃逸到堆上',
        after: '保存副本，调用方的 cfg 可以留在各自的栈上',
      },
      explanation: md(
        '通过这个参数传入的指针（或切片、map、通道、接口、字符串）流向了比这次调用活得更久的地方：全局变量、堆上的对象、另一个 goroutine，或者编译器看不到内部的调用（例如通过接口调用的方法）。这里本身没有发生分配，代价落在调用方身上。',
        '',
        '**对调用方的影响**：编译器会把这个泄漏记录在函数的逃逸摘要里。凡是用局部变量的地址调用这个函数的地方（`f(&x)`、`f(buf[:])`），该局部变量都必须分配到堆上，因为函数可能会保留它。内联只在一种情况下有用：在调用处看到函数体后，发现其实并不会保留它，比如接口方法调用在那里变成了直接调用；如果函数把它存进了全局变量，内联之后这个局部变量照样逃逸到堆上。',
        '',
        '**常见的解决办法**：',
        '- 保存值的副本（`*p`），而不是指针；',
        '- 如果之后只需要其中一部分数据，只拷贝那一部分；',
        '- 在热点代码中，对需要继续传递的参数优先使用具体类型而不是接口（通过接口调用会使实参泄漏）；',
        '- 如果保存指针正是函数的目的（注册、缓存），泄漏是预期行为：确保调用方传入的是长生命周期的值。',
      ),
    },
  },
};

const leakingParamContent: RuleDescription = {
  id: 'escape/leaking-param-content',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: faqStackOrHeap,
  example: {
    before: [
      'var current *Item',
      '',
      'func pickFirst(items []*Item) { current = items[0] }',
    ].join('\n'),
    after: [
      'var currentItem Item',
      '',
      'func pickFirst(items []*Item) { currentItem = *items[0] }',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Parameter content leaks',
      messages: {},
      exampleComments: {
        before: 'the *Item in items is kept: the content of items leaks',
        after: 'keep a copy of the value: items does not escape',
      },
      explanation: md(
        'The parameter itself does not outlive the call, but something it points to does: an element of the slice, the value behind the pointer, a pointer stored in the struct it points to. That content is stored somewhere longer-lived (a global, the heap, another goroutine) or passed to a call the compiler cannot see into.',
        '',
        '**At run time:** as with a leaking parameter, callers pay. Whatever the content refers to must be on the heap at every call site; the slice or struct passed in may itself stay on the caller\'s stack.',
        '',
        '**Usual remedies:** copy the value you need out of the content instead of keeping the pointer; store values rather than pointers in long-lived structures; in hot paths, avoid handing the content to interface method calls.',
      ),
    },
    'zh-cn': {
      title: '参数指向的内容泄漏',
      messages: {},
      exampleComments: {
        before: 'items 中的 *Item 被保存下来，items 的内容发生泄漏',
        after: '保存值的副本，items 不再逃逸',
      },
      explanation: md(
        '参数本身没有超出这次调用的生命周期，但它指向的内容超出了：切片的元素、指针背后的值、它所指向的结构体中保存的指针。这些内容被存到了生命周期更长的地方（全局变量、堆、其他 goroutine），或传给了编译器看不到内部的调用。',
        '',
        '**对调用方的影响**：和参数泄漏一样，代价由调用方承担。在每个调用处，这些内容所引用的东西都必须在堆上；传入的切片或结构体本身仍可以留在调用方的栈上。',
        '',
        '**常见的解决办法**：从内容中拷贝出需要的值，而不是保留指针；在长生命周期的数据结构中保存值而不是指针；在热点路径上避免把这些内容交给接口方法调用。',
      ),
    },
  },
};

const leakingParamToResult: RuleDescription = {
  id: 'escape/leaking-param-to-result',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: faqStackOrHeap,
  example: {
    shared: [
      'func longest(a, b *Node) *Node {',
      '\tif a.Len >= b.Len {',
      '\t\treturn a',
      '\t}',
      '\treturn b',
      '}',
    ].join('\n'),
    before: [
      'var keep *Node',
      '',
      'func f() { n := Node{Len: 1}; keep = longest(&n, &n) }',
    ].join('\n'),
    after: [
      'var kept Node',
      '',
      'func f() { n := Node{Len: 1}; kept = *longest(&n, &n) }',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Parameter flows to a result',
      messages: {},
      exampleComments: {
        before: 'the result is kept, so n is moved to the heap',
        after: 'keep a copy of the value; n stays on the stack',
      },
      explanation: md(
        'The parameter, or what it points to, is returned: the compiler prints which result (`~r0` is the first unnamed one) and a `level` (0: the parameter itself is returned; 1 and more: something reached through it, e.g. `return p.next`).',
        '',
        '**At run time** nothing is allocated by this function. Whether the caller\'s argument has to live on the heap depends on what the caller does with the result: if it only uses it locally, the argument can stay on the caller\'s stack; if it keeps the result (stores or returns it), the argument escapes with it.',
        '',
        '**Usually nothing to fix.** When the caller\'s argument escapes because the result is kept, keep a copy of the value rather than the returned pointer.',
      ),
    },
    'zh-cn': {
      title: '参数流向返回值',
      messages: {},
      exampleComments: {
        before: '返回值被保存下来，因此 n 逃逸到堆上',
        after: '保存值的副本，n 留在栈上',
      },
      explanation: md(
        '这个参数本身或它指向的内容被返回了：编译器会给出是哪个返回值（`~r0` 表示第一个未命名的返回值）以及 `level`（0 表示参数本身被返回；1 及以上表示返回的是通过它访问到的东西，例如 `return p.next`）。',
        '',
        '**运行时开销**：这个函数本身不分配任何内存。调用方的实参是否需要放到堆上，取决于调用方如何使用返回值：如果只在本地使用，实参可以留在调用方的栈上；如果把返回值保存起来（存储或再返回），实参就会随之逃逸。',
        '',
        '**通常无需修改**。如果因为保存了返回值而导致调用方的实参逃逸，可以保存值的副本而不是返回的指针。',
      ),
    },
  },
};

const doesNotEscape: RuleDescription = {
  id: 'escape/does-not-escape',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: faqStackOrHeap,
  example: {
    before: [
      'func firstEven(xs []int) []int {',
      '\tbuf := make([]int, 0, 16)',
      '\tfor _, x := range xs {',
      '\t\tif x%2 == 0 && len(buf) < cap(buf) {',
      '\t\t\tbuf = append(buf, x)',
      '\t\t}',
      '\t}',
      '\treturn buf',
      '}',
    ].join('\n'),
    after: [
      'func sumFirstEven(xs []int) (sum int) {',
      '\tbuf := make([]int, 0, 16)',
      '\tfor _, x := range xs {',
      '\t\tif x%2 == 0 && len(buf) < cap(buf) {',
      '\t\t\tbuf = append(buf, x)',
      '\t\t}',
      '\t}',
      '\tfor _, v := range buf {',
      '\t\tsum += v',
      '\t}',
      '\treturn sum',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Does not escape',
      messages: {},
      exampleComments: {
        before: 'buf is returned, so make([]int, 0, 16) escapes to the heap',
        after: 'buf is only used inside the function: make([]int, 0, 16) does not escape',
      },
      explanation: md(
        'Escape analysis found that this does not outlive the function. A `make`, `new`, composite literal or the slice built for `...` arguments is allocated on the stack; a parameter is not kept by the function, so callers may pass the address of their locals without those moving to the heap.',
        '',
        '**Exception (go1.25+):** for a `make([]T, n)` whose size is known only at run time, "does not escape" means the slice never outlives the function, not that it is on the stack: its backing array is on the stack only up to 32 bytes, and a larger one is still allocated on the heap (`-benchmem` shows 1 alloc/op).',
        '',
        '**At run time** stack memory is reserved with the function\'s frame and released when it returns: no allocator call and nothing for the garbage collector to do.',
        '',
        '**What can change it:** the verdict can flip with small edits — returning the value or a pointer into it, storing it in a longer-lived place, converting it to an interface, passing it to a function that keeps it, or (before go1.25) a `make` whose size is no longer a small constant. Benchmarks with `-benchmem` show when it happens.',
      ),
    },
    'zh-cn': {
      title: '未逃逸',
      messages: {},
      exampleComments: {
        before: 'buf 被返回，因此 make([]int, 0, 16) 逃逸到堆上',
        after: 'buf 只在函数内部使用，make([]int, 0, 16) 不逃逸',
      },
      explanation: md(
        '逃逸分析确认它没有逃逸：如果是 `make`、`new`、复合字面量或为可变参数创建的切片，它分配在栈上；如果是函数参数，说明函数不会保留它，调用方传入局部变量的地址也不会迫使该变量逃逸到堆上。',
        '',
        '**例外（go1.25 起）**：对于大小要到运行时才知道的 `make([]T, n)`，“does not escape”只说明这个切片不会超出函数的生命周期，并不代表它一定在栈上：底层数组不超过 32 字节时才放在栈上，更大的仍然分配在堆上（`-benchmem` 会显示 1 allocs/op）。',
        '',
        '**运行时开销**：栈内存随函数的栈帧一起预留，函数返回时一起释放，既不调用内存分配器，也不给 GC 增加工作。',
        '',
        '**注意**：很小的改动就可能改变结论——返回这个值或指向它内部的指针、把它存到生命周期更长的地方、转换为接口、传给会保留它的函数，或者（go1.25 之前）`make` 的大小不再是较小的常量。用 `-benchmem` 跑基准测试就能看出变化。',
      ),
    },
  },
};

const capturedByReference: RuleDescription = {
  id: 'escape/captured-by-reference',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: 'https://go.dev/doc/faq#closures_and_goroutines',
  example: {
    before: [
      '// {theClosureIsReturned}',
      'func adder(n int) func(int) int {',
      '\tf := func(x int) int { return x + n }',
      '\tn *= 2',
      '\treturn f',
      '}',
    ].join('\n'),
    after: [
      'func adder(n int) func(int) int {',
      '\tn *= 2',
      '\treturn func(x int) int { return x + n }',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Captured by reference',
      messages: {},
      exampleComments: {
        before: 'n changes after the closure is made, so the closure shares n;',
        after: 'n is final when captured: the closure holds a copy, n stays put',
        theClosureIsReturned: 'the closure is returned, so n is moved to the heap',
      },
      explanation: md(
        'The closure shares this variable with the enclosing function instead of holding its own copy: the closure stores the variable\'s address. The compiler does this when the variable is assigned after being captured (`assign=true`), when its address is taken (`addr=true`), or when it is larger than 128 bytes (`width`).',
        '',
        '**At run time:** while the closure is only used inside the function, this is free. If the closure escapes (returned, stored, started with `go`), the shared variable must outlive the function and is moved to the heap: one more allocation, besides the closure\'s own.',
        '',
        '**Usual remedies:**',
        '- finish computing the value before creating the closure, so the captured variable is never assigned afterwards;',
        '- copy it into a new variable that is never reassigned (`limit := limit`) and capture that;',
        '- pass the value as an argument to the function literal;',
        '- if the closure really has to update shared state, that state belongs in a struct with methods.',
      ),
    },
    'zh-cn': {
      title: '按引用捕获',
      messages: {},
      exampleComments: {
        before: '闭包创建后 n 还会被修改，因此闭包与外层共享 n；',
        after: '捕获时 n 已是最终值，闭包持有副本，n 不必逃逸到堆上',
        theClosureIsReturned: '闭包被返回，于是 n 逃逸到堆上',
      },
      explanation: md(
        '闭包与外层函数共享这个变量，而不是持有自己的副本：闭包里保存的是变量的地址。当变量在被捕获之后还会被赋值（`assign=true`）、变量被取过地址（`addr=true`），或者变量大于 128 字节（`width`）时，编译器会按引用捕获。',
        '',
        '**运行时开销**：如果闭包只在函数内部使用，按引用捕获没有任何开销。如果闭包逃逸了（被返回、被保存、用 `go` 启动），共享的变量就必须活得比函数更久，因而逃逸到堆上：在闭包自身的分配之外又多一次堆分配。',
        '',
        '**常见的解决办法**：',
        '- 在创建闭包之前把值算好，使被捕获的变量之后不再被赋值；',
        '- 把它拷贝到一个不会再被赋值的新变量（`limit := limit`），捕获这个新变量；',
        '- 把值作为参数传给函数字面量；',
        '- 如果闭包确实需要修改共享状态，这个状态应当放进一个带方法的结构体。',
      ),
    },
  },
};

const capturedByValue: RuleDescription = {
  id: 'escape/captured-by-value',
  category: 'escape',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: 'https://go.dev/ref/spec#Function_literals',
  example: {
    before: [
      'total := base',
      'report := func() { fmt.Println(total) }',
      'total += extra',
    ].join('\n'),
    after: [
      'total := base + extra',
      'report := func() { fmt.Println(total) }',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Captured by value',
      messages: {},
      exampleComments: {
        before: 'total is reassigned after capture, so it is captured by reference',
        after: 'the captured variable is final: captured by value',
      },
      explanation: md(
        'The closure holds its own copy of this variable. The compiler may copy because the variable is never assigned after it is captured, its address is never taken, and it is at most 128 bytes: a copy behaves exactly like sharing.',
        '',
        '**At run time** the copy lives inside the closure object: no separate allocation for the variable, even when the closure escapes, and no pointer to follow on each use.',
        '',
        '**Keeping it that way:** assigning the variable anywhere after the closure is created, or taking its address, turns this into a capture by reference. Loop variables of `for` loops are per-iteration since Go 1.22, so closures created in a loop capture each iteration\'s value.',
      ),
    },
    'zh-cn': {
      title: '按值捕获',
      messages: {},
      exampleComments: {
        before: 'total 在被捕获后又被赋值，因此按引用捕获',
        after: '被捕获的变量已是最终值，按值捕获',
      },
      explanation: md(
        '闭包持有这个变量自己的副本。编译器之所以可以拷贝，是因为变量在被捕获之后再也不会被赋值、从未被取地址，而且不超过 128 字节：拷贝与共享的行为完全相同。',
        '',
        '**运行时开销**：副本保存在闭包对象内部，即使闭包逃逸，也不需要为这个变量单独分配内存，每次使用时也不用通过指针访问。',
        '',
        '**注意**：在闭包创建后的任何地方给这个变量赋值，或对它取地址，都会变成按引用捕获。从 Go 1.22 起，`for` 循环的循环变量是每次迭代独立的，循环中创建的闭包捕获的是各自迭代的值。',
      ),
    },
  },
};

/** The inlining example of inline/can-inline and inline/cannot-inline: one function, two verdicts. */
const stackPopExample: RuleExample = {
  before: [
    'func (s *Stack) Pop() int {',
    '\tif len(s.items) == 0 {',
    '\t\tpanic(fmt.Sprintf("pop from an empty stack (capacity %d)", cap(s.items)))',
    '\t}',
    '\tv := s.items[len(s.items)-1]',
    '\ts.items = s.items[:len(s.items)-1]',
    '\treturn v',
    '}',
  ].join('\n'),
  after: [
    'func (s *Stack) Pop() int {',
    '\tif len(s.items) == 0 {',
    '\t\tpanic("pop from an empty stack")',
    '\t}',
    '\tv := s.items[len(s.items)-1]',
    '\ts.items = s.items[:len(s.items)-1]',
    '\treturn v',
    '}',
  ].join('\n'),
};

const canInline: RuleDescription = {
  id: 'inline/can-inline',
  category: 'inline',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: compilerOptimizations,
  example: stackPopExample,
  text: {
    en: {
      title: 'Can be inlined',
      messages: {},
      exampleComments: {
        before: 'fmt.Sprintf in the rare path makes Pop cost 99 > 80: not inlinable',
        after: 'a constant message: cost 34, inlined at every call site',
      },
      explanation: md(
        'This function is cheap enough for the compiler to copy its body into callers instead of calling it. The `cost` counts the nodes of its body; the default budget is 80 (profile-guided optimization raises it for hot call sites).',
        '',
        '**At run time** an inlined call has no call overhead, and — often more important — the body is then optimized together with the caller: escape analysis sees what happens to the results, so a pointer the function returns may stay on the caller\'s stack; constants propagate; checks become provably redundant.',
        '',
        '**Keeping small hot functions inlinable:** keep rare, expensive paths (building an error message with `fmt`, logging) out of the function, and keep the common path short. A function that is already inlinable needs nothing.',
      ),
    },
    'zh-cn': {
      title: '可以内联',
      messages: {},
      exampleComments: {
        before: '少见路径里的 fmt.Sprintf 使 Pop 的开销为 99 > 80，无法内联',
        after: '使用常量消息，开销为 34，在每个调用处都会被内联',
      },
      explanation: md(
        '这个函数足够小，编译器可以把它的函数体直接复制到调用处，而不是发起一次函数调用。`cost` 是函数体的节点开销，默认预算是 80（基于性能剖析的优化 PGO 会为热点调用处提高预算）。',
        '',
        '**运行时的好处**：内联后的调用没有函数调用开销，而且更重要的是函数体会和调用方一起优化：逃逸分析能看到返回值的去向，函数返回的指针可能因此留在调用方的栈上；常量可以传播；一些检查可以被证明是多余的而被消除。',
        '',
        '**让小的热点函数保持可内联**：把少见而昂贵的路径（用 `fmt` 构造错误信息、打日志）移出函数，让常见路径保持简短。已经可以内联的函数无需任何修改。',
      ),
    },
  },
};

const cannotInline: RuleDescription = {
  id: 'inline/cannot-inline',
  category: 'inline',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: compilerOptimizations,
  example: stackPopExample,
  text: {
    en: {
      title: 'Cannot be inlined',
      messages: {},
      exampleComments: {
        before: 'cannot inline (*Stack).Pop: function too complex: cost 99 exceeds budget 80',
        after: 'the common path is cheap, so Pop is inlined (cost 34)',
      },
      explanation: md(
        'The compiler will always emit a real call to this function, and says why: `function too complex: cost N exceeds budget 80`, `recursive`, `marked go:noinline`, or an `unhandled op` for a statement the inliner does not handle (in current releases, for example, `defer`).',
        '',
        '**At run time** each call pays the call overhead, and the function is optimized on its own: the caller only knows its escape summary, so arguments that the function leaks must live on the heap, and so must the values it creates and returns pointers to.',
        '',
        '**When it matters** (a profile shows the function hot and small): move rare paths (error formatting, logging, panics with formatted messages) out of the function or make them cheaper, split the fast path from the slow path, or build with profile-guided optimization (a `default.pgo` profile in the main package), which raises the budget for hot call sites. For large functions a real call is the right choice.',
      ),
    },
    'zh-cn': {
      title: '无法内联',
      messages: {},
      exampleComments: {
        before: '编译器输出 cannot inline (*Stack).Pop: function too complex: cost 99 exceeds budget 80',
        after: '常见路径足够轻量，Pop 可以被内联（开销 34）',
      },
      explanation: md(
        '编译器对这个函数总是生成真正的函数调用，并给出原因：`function too complex: cost N exceeds budget 80`（函数太复杂，开销超出预算）、`recursive`（递归）、`marked go:noinline`（标记了禁止内联），或者 `unhandled op`（内联器不支持的语句，例如当前版本中的 `defer`）。',
        '',
        '**运行时开销**：每次调用都要付出调用开销，函数也只能被单独优化。调用方只知道它的逃逸摘要，因此被它泄漏的实参必须放在堆上，它创建并以指针返回的值也必须分配在堆上。',
        '',
        '**什么时候值得处理**（性能剖析显示这个小函数是热点时）：把少见路径（错误格式化、日志、带格式化消息的 panic）移出函数或让它们更轻量，把快速路径和慢速路径拆开，或者启用基于性能剖析的优化（在 main 包中放一个 `default.pgo` 文件），它会提高热点调用处的内联预算。对于大函数，保留真正的调用才是正确的选择。',
      ),
    },
  },
};

const inlinedCall: RuleDescription = {
  id: 'inline/inlined-call',
  category: 'inline',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: compilerOptimizations,
  example: {
    code: [
      'func NewUser(name string) *User { // {reportsMovedToHeap}',
      '\tu := User{Name: name}',
      '\treturn &u',
      '}',
      '',
      'func greeting() string {',
      '\tp := NewUser("Ana") // {inliningCallToNewuser}',
      '\treturn "hi " + p.Name',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Call inlined',
      messages: {},
      exampleComments: {
        reportsMovedToHeap: 'reports: moved to heap: u',
        inliningCallToNewuser: 'inlining call to NewUser: u stays on greeting\'s stack',
      },
      explanation: md(
        'The compiler replaced this call with a copy of the called function\'s body.',
        '',
        '**At run time** there is no call: no argument passing, no stack frame setup. The copied body is optimized together with this function, so escape analysis decides here, with the caller\'s knowledge, whether values created inside the callee must go to the heap. Escape facts found inside inlined code are reported at this call site.',
        '',
        '**Trade-off:** every inlined call site grows the binary a little; the compiler\'s budget keeps that in check. Nothing to fix.',
      ),
    },
    'zh-cn': {
      title: '调用已内联',
      messages: {},
      exampleComments: {
        reportsMovedToHeap: '报告：moved to heap: u',
        inliningCallToNewuser: 'inlining call to NewUser：u 留在 greeting 的栈上',
      },
      explanation: md(
        '编译器用被调用函数的函数体副本替换了这次调用。',
        '',
        '**运行时开销**：没有函数调用，不用传参，也不用建立栈帧。复制进来的函数体会和当前函数一起优化，因此由逃逸分析在这里、结合调用方的信息来决定被调函数里创建的值是否必须放到堆上。内联代码中发现的逃逸信息会报告在这个调用处。',
        '',
        '**权衡**：每个被内联的调用处都会让二进制文件稍微变大，编译器的内联预算会控制这一点。无需修改。',
      ),
    },
  },
};

const devirtualized: RuleDescription = {
  id: 'inline/devirtualized',
  category: 'inline',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: 'https://go.dev/doc/pgo',
  example: {
    before: [
      'func checksum(h hash.Hash32, data []byte) uint32 {',
      '\th.Write(data)',
      '\treturn h.Sum32()',
      '}',
    ].join('\n'),
    after: [
      '// {devirtualizingHWriteTo}',
      'func checksum(data []byte) uint32 {',
      '\th := fnv.New32a()',
      '\th.Write(data)',
      '\treturn h.Sum32()',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Interface call devirtualized',
      messages: {},
      exampleComments: {
        before: 'the concrete hash is unknown here: dynamic calls, data leaks',
        after: 'fnv.New32a is inlined, so the compiler knows the type:',
        devirtualizingHWriteTo: 'devirtualizing h.Write to *fnv.sum32a; data does not escape',
      },
      explanation: md(
        'This method call goes through an interface, but the compiler proved which concrete type the interface holds here (typically because the value was created in view, for example by an inlined constructor) and replaced the dynamic dispatch with a direct call to that type\'s method.',
        '',
        '**At run time** a direct call skips the method table lookup and can itself be inlined. It also helps escape analysis: arguments of a call through an interface must be assumed to leak, while a direct call uses the method\'s real escape summary, so they may stay on the stack.',
        '',
        '**Getting more of it:** in hot paths, keep the creation of the interface value visible to the caller (small, inlinable constructors), use concrete types or generics where the interface adds nothing, and build with profile-guided optimization, which devirtualizes hot interface calls behind a type check.',
      ),
    },
    'zh-cn': {
      title: '接口调用去虚拟化',
      messages: {},
      exampleComments: {
        before: '这里不知道具体的哈希类型：动态调用，data 发生泄漏',
        after: 'fnv.New32a 被内联，编译器知道了具体类型：',
        devirtualizingHWriteTo: 'devirtualizing h.Write to *fnv.sum32a；data 不逃逸',
      },
      explanation: md(
        '这是一次通过接口进行的方法调用，但编译器证明了接口在这里保存的具体类型（通常是因为这个值就在可见范围内创建，例如来自一个被内联的构造函数），于是把动态分派替换成了对该类型方法的直接调用。',
        '',
        '**运行时的好处**：直接调用省去了查方法表的开销，而且自身还可以被内联。这对逃逸分析也有帮助：通过接口调用时，实参只能假定为泄漏，而直接调用使用的是方法真实的逃逸摘要，实参因此可能留在栈上。',
        '',
        '**如何获得更多去虚拟化**：在热点路径上，让接口值的创建对调用方可见（小的、可内联的构造函数），在接口没有带来好处的地方使用具体类型或泛型，并启用基于性能剖析的优化（PGO），它会为热点接口调用加上一次运行时类型判断，判断成立时走直接调用。',
      ),
    },
  },
};

const boundsCheck: RuleDescription = {
  id: 'bounds/bounds-check',
  category: 'bounds',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Index_expressions',
  example: {
    before: [
      'func le32(b []byte) uint32 {',
      '\treturn uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24',
      '}',
    ].join('\n'),
    after: [
      'func le32(b []byte) uint32 {',
      '\t_ = b[3]',
      '\treturn uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Bounds check',
      messages: {},
      exampleComments: {
        before: 'four bounds checks, one per index',
        after: 'one check up front; the four reads need none',
      },
      explanation: md(
        'The compiler could not prove that this index (`IsInBounds`) or slice expression (`IsSliceInBounds`) is within range, so it kept a run-time check that panics with `index out of range` when it is not. Checks it can prove unnecessary are removed (bounds check elimination).',
        '',
        '**At run time** each check is a comparison and a branch. That is cheap, but in a tight loop over bytes or numbers the checks can be a visible share of the work and they stop some other optimizations.',
        '',
        '**Usual remedies** (only where a profile says it matters):',
        '- iterate with `for i, v := range s` instead of indexing by a separate counter;',
        '- check the largest index once up front (`_ = b[3]`), so the accesses below it need no check;',
        '- reslice to the length you use (`s = s[:n]`) before the loop, so the compiler knows `i < len(s)`;',
        '- for tables with a power-of-two size, index with a mask (`i & (len(t)-1)` on an array).',
      ),
    },
    'zh-cn': {
      title: '边界检查',
      messages: {},
      exampleComments: {
        before: '四次边界检查，每个下标一次',
        after: '先检查一次，后面四次读取都不再需要检查',
      },
      explanation: md(
        '编译器无法证明这个下标（`IsInBounds`）或切片表达式（`IsSliceInBounds`）一定在范围内，因此保留了一个运行时检查：越界时触发 `index out of range` panic。能证明多余的检查会被删除（边界检查消除，BCE）。',
        '',
        '**运行时开销**：每个检查是一次比较加一次分支。开销很小，但在遍历字节或数值的紧凑循环里，这些检查可能占据明显的比例，还会妨碍其他一些优化。',
        '',
        '**常见的解决办法**（仅在性能剖析表明有必要时）：',
        '- 用 `for i, v := range s` 遍历，而不是用单独的计数器做下标；',
        '- 先检查一次最大的下标（`_ = b[3]`），其后的访问就不再需要检查；',
        '- 在循环前把切片截到实际使用的长度（`s = s[:n]`），让编译器知道 `i < len(s)`；',
        '- 对大小为 2 的幂的查找表，用掩码作下标（对数组使用 `i & (len(t)-1)`）。',
      ),
    },
  },
};

const nilCheck: RuleDescription = {
  id: 'bounds/nil-check',
  category: 'bounds',
  defaultSeverity: 'hint',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/spec#Address_operators',
  example: {
    shared: [
      'type page struct{ data [8192]byte }',
    ].join('\n'),
    before: [
      'func invertTail(p *page) {',
      '\tfor i := 4096; i < len(p.data); i++ {',
      '\t\tp.data[i] ^= 0xff',
      '\t}',
      '}',
    ].join('\n'),
    after: [
      'func invertTail(p *page) {',
      '\td := &p.data',
      '\tfor i := 4096; i < len(d); i++ {',
      '\t\td[i] ^= 0xff',
      '\t}',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Nil check',
      messages: {},
      exampleComments: {
        before: 'p.data[i] lies beyond 4 KB into *p: a nil check on every iteration',
        after: 'one nil check when taking &p.data; none inside the loop',
      },
      explanation: md(
        'Using a nil pointer must panic with `invalid memory address or nil pointer dereference`. Usually that costs nothing: the first load through the pointer faults when it is nil, and the runtime turns the fault into the panic. Here the compiler had to generate an explicit check, because the code only computes an address from the pointer (`&p.field`, `&p.array`) and does not load or store through it, or reaches memory so far from the start of the object (beyond the first 4 KB) that a fault is not guaranteed. (Loads and stores near the start need no check: both fault on a nil pointer.)',
        '',
        '**At run time** the check is one instruction that touches the memory at the pointer: nearly free, unless it runs on every iteration of a tight loop.',
        '',
        '**Usual remedies** (only where a profile says it matters): take the address you need once, before the loop (`d := &p.data`), so the loop works on a pointer the compiler knows is not nil; pass small structs by value.',
      ),
    },
    'zh-cn': {
      title: 'nil 检查',
      messages: {},
      exampleComments: {
        before: 'p.data[i] 距 *p 起始位置超过 4 KB，每次迭代都有一次 nil 检查',
        after: '取 &p.data 时检查一次，循环内不再检查',
      },
      explanation: md(
        '通过 nil 指针访问内存必须触发 `invalid memory address or nil pointer dereference` panic。通常这没有任何开销：指针为 nil 时，第一次通过它读写内存就会触发段错误（SIGSEGV），运行时再把它转换成 panic。这里编译器却不得不生成一个显式检查，因为代码只是用这个指针计算地址（`&p.field`、`&p.array`），并没有通过它读写内存；或者访问的位置离对象起始处太远（超过前 4 KB），不能保证一定触发段错误。（靠近起始处的读和写都不需要检查：两者在 nil 指针上都会触发段错误。）',
        '',
        '**运行时开销**：这个检查只是一条访问指针所指内存的指令，几乎没有开销，除非它在紧凑循环的每次迭代中都要执行。',
        '',
        '**常见的解决办法**（仅在性能剖析表明有必要时）：在循环之前一次性取得需要的地址（`d := &p.data`），让循环使用一个编译器已知非 nil 的指针；小结构体按值传递。',
      ),
    },
  },
};

const deferAllocation: RuleDescription = {
  id: 'defer/allocation',
  category: 'defer',
  defaultSeverity: 'hint',
  presentation: 'annotation',
  documentation: 'https://go.dev/ref/spec#Defer_statements',
  example: {
    before: [
      'func processAll(names []string) error {',
      '\tfor _, name := range names {',
      '\t\tf, err := os.Open(name)',
      '\t\tif err != nil {',
      '\t\t\treturn err',
      '\t\t}',
      '\t\tdefer f.Close()',
      '\t\tprocess(f)',
      '\t}',
      '\treturn nil',
      '}',
    ].join('\n'),
    after: [
      'func processAll(names []string) error {',
      '\tfor _, name := range names {',
      '\t\tif err := processFile(name); err != nil {',
      '\t\t\treturn err',
      '\t\t}',
      '\t}',
      '\treturn nil',
      '}',
      '',
      'func processFile(name string) error {',
      '\tf, err := os.Open(name)',
      '\tif err != nil {',
      '\t\treturn err',
      '\t}',
      '\tdefer f.Close()',
      '\treturn process(f)',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'How this defer is implemented',
      messages: {},
      exampleComments: {
        before: 'heap-allocated defer, and every file stays open until processAll returns',
        after: 'open-coded defer in a helper; each file is closed before the next opens',
      },
      explanation: md(
        'The compiler chose one of three implementations for this `defer` (`-d=defer` output):',
        '- **open-coded**: the compiler emits the deferred call itself at each return of the function (a direct call, not inlining), guarded by a bit that records whether the `defer` statement ran. Almost free. Possible when the function has at most 8 defers, none of which can run more than once per call, `return` statements × defers ≤ 15, no result parameter on the heap, and the build uses neither `-race` nor `-N`;',
        '- **stack-allocated**: the `defer` runs at most once per call, but the function is not eligible for open-coding: another of its defers is in a loop, it has more than 8 defers or too many returns, a named result was moved to the heap (captured by an escaping closure), or the build uses `-race` or `-N` (which turn every open-coded defer into this kind). A defer record is kept in the stack frame and the runtime runs it at return. A few nanoseconds;',
        '- **heap-allocated**: the `defer` can run more than once per call — it is in a loop, after a label that a `goto` jumps back to, or in the body of a range-over-func loop — so each execution takes a record from the runtime\'s pool of heap-allocated records. The slowest kind, and every deferred call waits until the function returns.',
        '',
        '**Usual remedies** for a heap-allocated defer: move the loop body into its own function (or a function literal called in place), so each iteration\'s `defer` runs at the end of that call and can be open-coded. That also releases the resource at the end of each iteration instead of piling up. For a stack-allocated defer, remove the cause listed above: fewer `return` statements or defers, no looped defer elsewhere in the function, or compare with a build without `-race`.',
      ),
    },
    'zh-cn': {
      title: '这个 defer 的实现方式',
      messages: {},
      exampleComments: {
        before: 'defer 在堆上分配，而且所有文件都要等 processAll 返回才关闭',
        after: 'defer 移到辅助函数里，可以开放编码；每个文件在打开下一个之前就已关闭',
      },
      explanation: md(
        '编译器为这个 `defer` 选择了三种实现方式之一（见 `-d=defer` 的输出）：',
        '- **open-coded（开放编码）**：编译器在函数的每个返回点直接生成这次调用（是普通的直接调用，并非内联），由一个标志位记录这条 `defer` 语句是否执行过，几乎没有额外开销。前提是：函数中最多 8 个 defer，每个 defer 在一次调用中最多执行一次，`return` 语句数 × defer 数 ≤ 15，没有分配在堆上的返回值，而且构建时没有使用 `-race` 或 `-N`；',
        '- **stack-allocated（栈上分配）**：这条 `defer` 在一次调用中最多执行一次，但函数不满足开放编码的条件：函数里另有 defer 位于循环中、defer 超过 8 个或 return 太多、某个命名返回值被逃逸的闭包捕获而分配到了堆上，或者构建时用了 `-race` 或 `-N`（这两个选项会把所有开放编码的 defer 都变成这一种）。defer 记录保存在栈帧中，函数返回时由运行时执行，开销只有几纳秒；',
        '- **heap-allocated（堆上分配）**：这条 `defer` 在一次调用中可能执行多次——它在循环里、在 `goto` 跳回的标签之后，或者在 range-over-func 循环体中——因此每执行一次，运行时都要从堆上分配的 defer 记录池里取出一条记录。这是最慢的一种实现，而且这些调用都要等到函数返回时才执行。',
        '',
        '**堆上分配的 defer 怎么改**：把循环体提取成单独的函数（或原地调用的函数字面量），这样每轮迭代的 `defer` 在该函数结束时就执行，也能被开放编码；资源也会在每轮迭代结束时释放，不会越积越多。栈上分配的 defer 则对照上面的原因处理：减少 `return` 语句或 defer 的数量，去掉函数里其他位于循环中的 defer，或者与不带 `-race` 的构建结果对比。',
      ),
    },
  },
};

const unavailable: RuleDescription = {
  id: 'escape/unavailable',
  category: 'escape',
  defaultSeverity: 'info',
  presentation: 'diagnostic',
  documentation: 'https://go.dev/ref/mod#go-mod-init',
  example: {
    before: [
      'func total(xs []int) int {',
      '\tsum := 0',
      '\tfor _, x := range xs {',
      '\t\tsum += x',
      '\t}',
      '\treturn "sum" // cannot use "sum" (untyped string constant) as int value',
      '}',
    ].join('\n'),
    after: [
      'func total(xs []int) int {',
      '\tsum := 0',
      '\tfor _, x := range xs {',
      '\t\tsum += x',
      '\t}',
      '\treturn sum',
      '}',
    ].join('\n'),
  },
  text: {
    en: {
      title: 'Escape analysis unavailable',
      messages: {},
      exampleComments: {
        before: 'the package does not compile, so no escape analysis at all',
        after: 'the package compiles and the escape facts appear',
      },
      explanation: md(
        'Go Insight could not run the Go compiler on this package, so heap escapes, inlining decisions and defer kinds are not shown; the syntactic checks still run. The message says why:',
        '- **the package does not compile**: escape analysis runs after type checking, so one compile error hides every fact. Fix the error shown (the first one the compiler printed) and save;',
        '- **the file is in no module**: the go command needs a `go.mod`. Run `go mod init example.com/name` in the package directory, or open the folder that contains the `go.mod` (or a `go.work`);',
        '- **the go command failed**: the message has its error output, e.g. a missing dependency (`go mod tidy`) or an unsupported Go version in `go.mod`.',
      ),
    },
    'zh-cn': {
      title: '逃逸分析不可用',
      messages: {},
      exampleComments: {
        before: '包无法编译，完全没有逃逸分析结果',
        after: '包可以编译，逃逸信息随之出现',
      },
      explanation: md(
        'Go Insight 无法对这个包运行 Go 编译器，因此不会显示堆逃逸、内联决策和 defer 的实现方式；语法层面的检查仍然照常运行。消息中说明了原因：',
        '- **包无法编译**：逃逸分析在类型检查之后才进行，只要有一个编译错误，所有信息都不会出现。修复消息中显示的错误（编译器报告的第一个错误）并保存即可；',
        '- **文件不属于任何模块**：go 命令需要 `go.mod`。在包所在目录运行 `go mod init example.com/name`，或者打开包含 `go.mod`（或 `go.work`）的文件夹；',
        '- **go 命令执行失败**：消息中附有它的错误输出，例如缺少依赖（运行 `go mod tidy`），或 `go.mod` 中的 Go 版本不受支持。',
      ),
    },
  },
};

export const compilerFactDescriptions: readonly RuleDescription[] = [
  movedToHeap,
  escapesToHeap,
  funcLiteralEscapes,
  leakingParam,
  leakingParamContent,
  leakingParamToResult,
  doesNotEscape,
  capturedByReference,
  capturedByValue,
  canInline,
  cannotInline,
  inlinedCall,
  devirtualized,
  boundsCheck,
  nilCheck,
  deferAllocation,
  unavailable,
];
