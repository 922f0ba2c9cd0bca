using System.Diagnostics;

namespace Sessions.Benchmarks;

/// <summary>A timed load (<see cref="LoadRunner"/>) together with the CPU each process spent during it.</summary>
internal sealed record Measurement(LoadResult Load, CpuUsage Cpu, double WallSeconds)
{
    public static async Task<Measurement> RunAsync(CpuMeter meter, int clients, TimeSpan duration, Func<int, long, Task> operation)
    {
        var before = meter.Sample();
        var clock = Stopwatch.StartNew();
        var load = await LoadRunner.RunAsync(clients, duration, operation);
        var wall = clock.Elapsed.TotalSeconds;
        return new Measurement(load, meter.Sample().Since(before), wall);
    }

    /// <summary>CPU milliseconds that the processes of <paramref name="group"/> spent per completed operation.</summary>
    public double CpuMsPerOp(Func<string, bool> group) => Per(Cpu.Of(group));

    /// <summary>CPU milliseconds the kernel spent in softirq (loopback network processing, charged to no process) per completed operation.</summary>
    public double SoftIrqCpuMsPerOp => Per(Cpu.MachineSoftIrq * Environment.ProcessorCount * WallSeconds);

    /// <summary>CPU milliseconds per completed operation spent by none of the followed processes nor in softirq: other programs.</summary>
    public double OtherCpuMsPerOp => Per(Math.Max(0, (Cpu.MachineBusy - Cpu.MachineSoftIrq) * Environment.ProcessorCount * WallSeconds - Cpu.Of(_ => true)));

    private double Per(double cpuSeconds) =>
        Load.PerSecond > 0 ? cpuSeconds * 1000 / (Load.PerSecond * WallSeconds) : double.NaN;
}
