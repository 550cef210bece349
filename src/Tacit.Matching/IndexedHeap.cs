using System.Runtime.CompilerServices;

namespace Tacit.Matching;

/// <summary>A strict total order on node ids (a struct so the heap's comparisons are inlined).</summary>
internal interface INodeOrder
{
    bool Before(int a, int b);
}

/// <summary>
/// A 4-ary min-heap of node ids under <typeparamref name="TOrder"/>, with each node's position so a node can be
/// moved up after its key decreases or removed from anywhere. Keys live outside (in the order's arrays); a node's
/// key may change only while it is not in the heap, or decrease followed by <see cref="MovedUp"/>.
/// </summary>
internal sealed class IndexedHeap<TOrder> where TOrder : struct, INodeOrder
{
    private readonly int[] items;
    private readonly int[] position; // -1 when not in the heap
    private readonly TOrder order;

    public IndexedHeap(int nodeCount, TOrder order)
    {
        items = GC.AllocateUninitializedArray<int>(nodeCount);
        position = GC.AllocateUninitializedArray<int>(nodeCount);
        Array.Fill(position, -1);
        this.order = order;
    }

    public int Count { get; private set; }
    public int Top => items[0];
    public bool Contains(int v) => position[v] >= 0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(int v)
    {
        items[Count] = v;
        position[v] = Count;
        Count++;
        SiftUp(Count - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Pop()
    {
        int top = items[0];
        Remove(top);
        return top;
    }

    public void MovedUp(int v) => SiftUp(position[v]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Remove(int v)
    {
        int i = position[v];
        position[v] = -1;
        Count--;
        if (i == Count) return;
        int last = items[Count];
        items[i] = last;
        position[last] = i;
        SiftUp(i);
        SiftDown(position[last]);
    }

    public void Clear()
    {
        for (int i = 0; i < Count; i++) position[items[i]] = -1;
        Count = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SiftUp(int i)
    {
        int v = items[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            int pv = items[parent];
            if (!order.Before(v, pv)) break;
            items[i] = pv;
            position[pv] = i;
            i = parent;
        }
        items[i] = v;
        position[v] = i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SiftDown(int i)
    {
        int v = items[i];
        while (true)
        {
            int child = (i << 2) + 1;
            if (child >= Count) break;
            int best = child;
            int last = Math.Min(child + 4, Count);
            for (int c = child + 1; c < last; c++) if (order.Before(items[c], items[best])) best = c;
            if (!order.Before(items[best], v)) break;
            items[i] = items[best];
            position[items[i]] = i;
            i = best;
        }
        items[i] = v;
        position[v] = i;
    }
}
