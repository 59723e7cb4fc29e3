/** The page's content height: the root element's box, which (unlike `scrollHeight`) also shrinks. */
export const contentHeight = (): number => Math.ceil(document.documentElement.getBoundingClientRect().height)

/** Calls `report` with the content height now and whenever it changes; returns the cleanup. */
export function observeHeight(report: (height: number) => void, measure: () => number = contentHeight): () => void {
  let last = -1
  const check = () => {
    const height = measure()
    if (height !== last) report((last = height))
  }
  const observer = new ResizeObserver(check)
  // the root element's box follows its content (body included), so observing it alone is enough
  observer.observe(document.documentElement)
  check()
  return () => observer.disconnect()
}
